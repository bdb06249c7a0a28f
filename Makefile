# gongkai — see README.md. The DuckDB driver needs cgo; its Arrow API needs the duckdb_arrow tag.
GO        ?= go
TAGS      := duckdb_arrow
export CGO_ENABLED := 1
DEMO_DB   ?= demo.duckdb
FIXTURES  := fixtures/text

.PHONY: help build test bench demo vet lint fmt tidy clean fuzz scaneval

help: ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

build: ## build bin/gongkai
	$(GO) build -tags $(TAGS) -o bin/gongkai ./cmd/gongkai

test: ## run all tests (real DuckDB, fixtures, ../shared when present)
	$(GO) test -tags $(TAGS) -count=1 ./...

PDFS ?= $(wildcard fixtures/pdf/*.pdf) $(wildcard ../shared/realpdf/*.pdf)
CORPUS_N ?= 200
SCALE_SIZES ?= 100,1000,10000
bench: build ## run the benchmarks (Go benchmarks; PDF backends vs pdftotext -layout; generated corpus: accuracy and throughput; scaling)
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...
	$(GO) run -tags $(TAGS) ./tools/pdfbench -n 3 $(PDFS)
	$(GO) run -tags $(TAGS) ./tools/pdfbench -n 3 -backends auto $(wildcard ../shared/realpdf/*.pdf)
	$(GO) run -tags $(TAGS) ./tools/corpusbench -bin bin/gongkai -n $(CORPUS_N)
	$(GO) run ./tools/scalebench -bin bin/gongkai -sizes $(SCALE_SIZES) -svg tools/scalebench/scaling.svg

SCANEVAL_PDFS ?= fixtures/pdf/seed-libreoffice-writer.pdf fixtures/pdf/fpdf-datong.pdf fixtures/pdf/libreoffice-writer-datong.pdf fixtures/pdf/seed-fpdf.pdf $(wildcard ../shared/realpdf/*.pdf)
scaneval: ## held-out OCR accuracy: fresh scans (seeds 11, 12) of PDFs with a text layer, read by OCR, against that text layer (about 15 min)
	$(GO) run -tags $(TAGS) ./tools/scaneval -seeds 11,12 $(SCANEVAL_PDFS)

FUZZTIME ?= 10s
fuzz: ## short fuzz runs of the parsers (FUZZTIME each)
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzReadTextGrid -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./extract
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./transform
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzReadPDF -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./extract

demo: build ## ingest the bundled fixtures into $(DEMO_DB), print the summary, write demo-report.html
	rm -rf $(DEMO_DB) $(DEMO_DB).wal $(DEMO_DB).next $(DEMO_DB).next.wal
	./bin/gongkai ingest --db $(DEMO_DB) $(FIXTURES)
	./bin/gongkai summary --db $(DEMO_DB)
	./bin/gongkai report --db $(DEMO_DB) --out demo-report.html

vet: ## go vet
	$(GO) vet -tags $(TAGS) ./...

lint: ## go vet, gofmt, staticcheck (pinned in go.mod as a tool) and go mod tidy, each must be clean
	$(GO) vet -tags $(TAGS) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt: the files above need make fmt'; exit 1; }
	$(GO) tool staticcheck -tags $(TAGS) ./...
	$(GO) mod tidy -diff

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

tidy: ## go mod tidy
	$(GO) mod tidy

clean: ## remove build output, the demo warehouse and its report
	rm -rf bin $(DEMO_DB) $(DEMO_DB).wal demo-report.html
