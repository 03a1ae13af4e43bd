package report

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"
)

// writeHTML writes the report as one self-contained page: inline style,
// charts as inline SVG, nothing fetched from anywhere, laid out to print on
// A4. Every chart has its numbers in a table beside it.
func writeHTML(w io.Writer, p Published) error {
	return page.Execute(w, htmlData(p))
}

// WriteFragment writes the report as part of another page, such as the
// console's: the same figures, charts and tables as the html format, with
// no document around them and no style of its own (the page that holds it
// styles the classes report-*, bar, axis, tick and label).
func WriteFragment(w io.Writer, p Published) error {
	return page.ExecuteTemplate(w, "body", htmlData(p))
}

type htmlView struct {
	Published
	Period, Synthetic string
	Week, Source      template.HTML
	Need              template.HTML
	Distribution      []chartOf
}

func htmlData(p Published) htmlView {
	data := htmlView{Published: p, Period: period(p)}
	if p.Synthetic {
		data.Synthetic = syntheticNote
	}
	for _, t := range p.Tables {
		switch t.ID {
		case "by_week":
			data.Week = columns(t.Rows, "Referrals by week", 640, 180, false)
		case "by_source":
			data.Source = bars(t.Rows, "Referrals by source")
		case "by_need":
			data.Need = bars(t.Rows, "Referrals by need")
		}
	}
	for _, c := range p.Wellbeing {
		if len(c.Distribution) > 0 {
			data.Distribution = append(data.Distribution, chartOf{Title: c.Title, SVG: columns(c.Distribution, "People by change in "+strings.ToLower(c.Title), 300, 140, true)})
		}
	}
	return data
}

type chartOf struct {
	Title string
	SVG   template.HTML
}

// height is what a bar stands for: a withheld count is drawn as an outline
// up to 5, the most it could be, and labelled "<5".
func height(v Value) (float64, bool) {
	if v.N == nil {
		if v.Suppressed {
			return SmallMax + 1, true
		}
		return 0, false
	}
	return *v.N, false
}

// columns draws vertical bars, one a row, labelling every few so labels do
// not collide.
func columns(rows []Row, title string, width, tall int, signed bool) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	top := 1.0
	for _, r := range rows {
		if h, _ := height(r.Count); h > top {
			top = h
		}
	}
	const left, bottom = 36, 28
	plotW, plotH := float64(width-left-4), float64(tall-bottom-8)
	step := plotW / float64(len(rows))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s"><title id="%[3]s">%s</title>`, width, tall, idOf(title), html.EscapeString(title))
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="axis"/>`, left, 8+plotH, width-4, 8+plotH)
	fmt.Fprintf(&b, `<text x="%d" y="14" class="tick" text-anchor="end">%s</text><text x="%d" y="%.1f" class="tick" text-anchor="end">0</text>`, left-4, thousands(int(top)), left-4, 8+plotH)
	every := max(1, int(math.Ceil(float64(len(rows))*44/plotW))) // about 44px a label
	for i, r := range rows {
		h, withheld := height(r.Count)
		bh := plotH * h / top
		x := float64(left) + float64(i)*step
		class := "bar"
		if withheld {
			class = "bar withheld"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="%s"><title>%s: %s</title></rect>`,
			x+step*0.1, 8+plotH-bh, step*0.8, bh, class, html.EscapeString(r.Label), html.EscapeString(r.Count.Shown))
		if i%every == 0 || (signed && r.Key == "0") {
			label := r.Label
			if !signed { // "w/c 29 Dec 2025" is drawn as "29 Dec"
				label = strings.TrimPrefix(label, "w/c ")
				if i := strings.LastIndexByte(label, ' '); i > 0 {
					label = label[:i]
				}
			}
			if at := x + step/2; at < float64(width)-22 { // one at the very edge would be cut
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, at, tall-10, html.EscapeString(label))
			}
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// bars draws horizontal bars with their labels and counts.
func bars(rows []Row, title string) template.HTML {
	const width, rowH, labelW = 640, 22, 250
	top := 1.0
	for _, r := range rows {
		if h, _ := height(r.Count); h > top {
			top = h
		}
	}
	tall := rowH*len(rows) + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s"><title id="%[3]s">%s</title>`, width, tall, idOf(title), html.EscapeString(title))
	for i, r := range rows {
		h, withheld := height(r.Count)
		y := i*rowH + 2
		bw := float64(width-labelW-70) * h / top
		class := "bar"
		if withheld {
			class = "bar withheld"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, labelW-6, y+15, html.EscapeString(r.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" class="%s"/>`, labelW, y+3, bw, rowH-6, class)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="label">%s</text>`, float64(labelW)+bw+6, y+15, html.EscapeString(r.Count.Shown))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func idOf(title string) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

var page = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}, {{.Period}}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 180mm; padding: 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #b1b4b6; }
.period { color: #505a5f; margin: 0; }
.synthetic { border: 2px solid #d4351c; color: #d4351c; font-weight: bold; padding: .4em .6em; margin: .8em 0; }
.headline { display: flex; gap: 2em; margin: 1em 0; } .headline div { font-size: 11pt; } .headline strong { display: block; font-size: 22pt; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; font-size: 10pt; }
th, td { text-align: left; padding: .15em .5em; border-bottom: 1px solid #dee0e2; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
section, figure { break-inside: avoid; } figure { margin: .5em 0; } figcaption { font-size: 10pt; color: #505a5f; }
.bar { fill: #1d70b8; } .bar.withheld { fill: none; stroke: #1d70b8; stroke-dasharray: 3 2; }
.axis { stroke: #505a5f; } .tick, .label { font-size: 10px; fill: #1b1b1b; }
.small { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
dl dt { font-weight: bold; } dl dd { margin: 0 0 .5em; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{template "body" .}}
</main>
</body>
</html>
{{define "body"}}<div class="report">
<p class="period">{{.Period}}. Made {{.Made.Format "2 January 2006 15:04"}}.</p>
{{with .Synthetic}}<p class="synthetic">{{.}}</p>{{end}}
<div class="headline"><div><strong>{{.People.Shown}}</strong>people</div><div><strong>{{.Referrals.Shown}}</strong>referrals</div></div>
<p>Counts from 1 to 4 are shown as “&lt;5”; totals that could reveal them are rounded to the nearest 5 (“~”).</p>

{{with .Week}}<figure>{{.}}<figcaption>Referrals by week (dashed: fewer than 5).</figcaption></figure>{{end}}
{{with .Source}}<figure>{{.}}<figcaption>Referrals by source.</figcaption></figure>{{end}}
{{with .Need}}<figure>{{.}}<figcaption>What people asked for help with.</figcaption></figure>{{end}}

{{range .Tables}}<section><h2>{{.Title}}</h2><p>{{.Definition}}</p>
<table><thead><tr><th scope="col">{{if or (eq .ID "by_week") (eq .ID "people_by_week")}}Week{{else if or (eq .ID "by_month") (eq .ID "people_by_month")}}Month{{else}}Group{{end}}</th><th scope="col" class="n">{{.Unit}}</th><th scope="col" class="n">share</th></tr></thead><tbody>
{{range .Rows}}<tr><td>{{.Label}}</td><td class="n">{{.Count.Shown}}</td><td class="n">{{.Share.Shown}}</td></tr>
{{end}}</tbody><tfoot><tr><th scope="row">{{if .Multi}}Referrals (a referral may count in several rows){{else}}Total{{end}}</th><td class="n">{{.Total.Shown}}</td><td></td></tr></tfoot></table></section>
{{end}}

<section><h2>Waiting times</h2>
<table><thead><tr><th scope="col">Wait</th><th scope="col" class="n">referrals</th><th scope="col" class="n">median</th><th scope="col" class="n">90% within</th><th scope="col" class="n">median, working time</th><th scope="col" class="n">90%, working time</th></tr></thead><tbody>
{{range .Waits}}<tr><td>{{.Title}}</td><td class="n">{{.N.Shown}}</td><td class="n">{{.Median.Shown}}</td><td class="n">{{.P90.Shown}}</td><td class="n">{{if .WorkingTime}}{{.WorkMedian.Shown}}{{else}}–{{end}}</td><td class="n">{{if .WorkingTime}}{{.WorkP90.Shown}}{{else}}–{{end}}</td></tr>
{{end}}</tbody></table></section>

<section><h2>Check-ins</h2><p>{{.Checkins.Sent.Shown}} sent, {{.Checkins.Answered.Shown}} answered.</p>
{{with .Checkins.Flags}}{{if .Rows}}<table><caption>{{.Title}}</caption><thead><tr><th scope="col">Why</th><th scope="col" class="n">flags</th></tr></thead><tbody>
{{range .Rows}}<tr><td>{{.Label}}</td><td class="n">{{.Count.Shown}}</td></tr>
{{end}}</tbody></table>{{end}}{{end}}</section>

<section><h2>Wellbeing</h2>
<table><thead><tr><th scope="col">Question</th><th scope="col" class="n">people</th><th scope="col" class="n">first</th><th scope="col" class="n">follow-up</th><th scope="col" class="n">change (95% interval)</th><th scope="col" class="n">improved</th></tr></thead><tbody>
{{range .Wellbeing}}<tr><td>{{.Title}}{{if .LowerIsBetter}} (lower is better){{end}}</td><td class="n">{{.N.Shown}}</td><td class="n">{{.Baseline.Shown}}</td><td class="n">{{.FollowUp.Shown}}</td><td class="n">{{.Mean.Shown}} ({{.Low.Shown}} to {{.High.Shown}})</td><td class="n">{{.Improved.Shown}} {{.ImprovedShare.Shown}}</td></tr>
{{end}}</tbody></table>
{{if .Distribution}}<div class="small">{{range .Distribution}}<figure>{{.SVG}}<figcaption>{{.Title}}: people by change in points.</figcaption></figure>{{end}}</div>{{end}}
</section>

<section><h2>Definitions</h2><dl>{{range .Definitions}}<dt>{{.Term}}</dt><dd>{{.Meaning}}</dd>{{end}}</dl></section>
</div>{{end}}
`))
