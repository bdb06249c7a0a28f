// Package report turns the warehouse into one self-contained HTML page for
// researchers: an overview of every current department and year, a section
// per department, and ratios compared across departments.
//
// In: a *sql.DB on the warehouse (read-only is enough; only the contract's
// tables and views are read: v_department_year, v_department_profile,
// v_function_class, v_year_over_year, budget_lines, source_tables, projects,
// performance_forms, performance_indicators, corrections, findings), and
// Options. Only current documents (documents.is_current) are reported.
//
// Out: HTML written to an io.Writer, with Stats saying how many departments
// and charts it holds. The page needs no network when viewed: the CSS, the
// small script that sorts tables and the charts are inline. Charts are bar
// charts written as SVG by charts.go; their labels are SVG <text> in Chinese
// with the page's font-family list, laid out by the browser. No font file is
// read where the report is made: text widths are estimated (a CJK character
// 1 em, Latin about 0.55 em) only to reserve room, and text-anchor aligns
// them. The page's CSS names local Chinese fonts ("Droid Sans Fallback",
// "Noto Sans CJK SC", …) so a browser renders it offline.
//
// Money stays exact: amounts are read as DECIMAL into shopspring/decimal and
// printed in 万元 (or 元 where a table says so) with thousands separators;
// ratios are computed on decimals with DivRound. Only the bar lengths are
// float64.
//
// What it refuses or degrades: a reader's browser without any Chinese font
// shows the page and its charts with missing glyphs; nothing on the
// generating side depends on fonts. Every text from the warehouse is escaped
// (html/template for the page, html.EscapeString for chart text), so a
// department name is data, never markup. A query error (e.g. a warehouse
// without the views) is returned; nothing is written then.
package report
