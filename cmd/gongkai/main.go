package main

import (
	_ "github.com/apache/arrow-go/v18/arrow"
	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/shopspring/decimal"
	_ "go.uber.org/zap"
	_ "golang.org/x/text/encoding/simplifiedchinese"
)

func main() {}
