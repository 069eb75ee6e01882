# Turns `benchstat -format csv` output (medians) into the Markdown table of BENCHMARKS.md:
# one row per sub-benchmark, with time, bytes and allocations as ratios to the group's floor
# and official rows, and the extra metrics. Usage:
#   benchstat -format csv results.txt | awk -f table.awk
BEGIN { FS = "," }
# A section starts with ",<file>," then ",<unit>,CI".
$1 == "" && $3 == "CI" { unit = $2; next }
$1 == "" || $1 == "geomean" || NF < 2 { next }
{
	name = $1
	sub(/-[0-9]+$/, "", name) # the GOMAXPROCS suffix
	if (!(name in seen)) {
		seen[name] = 1
		order[++n] = name
	}
	val[name, unit] = $2
	ci[name, unit] = $3
}

function group(name) { sub(/\/[^\/]*$/, "", name); return name }

function fmt(v, u) {
	if (v == "") return "–"
	if (u == "sec/op") {
		if (v >= 1e-3) return sprintf("%.2f ms", v * 1e3)
		return sprintf("%.1f µs", v * 1e6)
	}
	if (u == "B/op") {
		if (v >= 1048576) return sprintf("%.2f MiB", v / 1048576)
		if (v >= 1024) return sprintf("%.1f KiB", v / 1024)
		return sprintf("%d B", v)
	}
	if (v >= 10000) return sprintf("%.1fk", v / 1000)
	return sprintf("%g", v)
}

function ratio(name, base, u) {
	if (!((base, u) in val) || val[base, u] == 0 || name == base) return "–"
	return sprintf("%.2f×", val[name, u] / val[base, u])
}

function extra(name,   s) {
	s = ""
	if ((name, "req/op") in val) s = s sprintf("%g req/op", val[name, "req/op"])
	if ((name, "conns") in val)
		s = s sprintf(", %g conns (%g in the timed part) for %g goroutines", val[name, "conns"],
			val[name, "timed-conns"], val[name, "goroutines"])
	if ((name, "peak-live-B") in val)
		s = s sprintf(", peak live heap %s", fmt(val[name, "peak-live-B"], "B/op"))
	if ((name, "B/s") in val) s = s sprintf("%.1f MB/s", val[name, "B/s"] / 1e6)
	return s
}

END {
	print "| benchmark | time/op (±) | ×floor | ×official | B/op | ×floor | ×official | " \
		"allocs/op | ×floor | ×official | extra metrics |"
	print "|---|---|---|---|---|---|---|---|---|---|---|"
	for (i = 1; i <= n; i++) {
		name = order[i]
		g = group(name)
		floor = g "/floor"
		official = g "/official"
		if (g == "DecodeUsers") official = g "/official_types"
		printf "| %s | %s (±%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name,
			fmt(val[name, "sec/op"], "sec/op"), ci[name, "sec/op"],
			ratio(name, floor, "sec/op"), ratio(name, official, "sec/op"),
			fmt(val[name, "B/op"], "B/op"),
			ratio(name, floor, "B/op"), ratio(name, official, "B/op"),
			fmt(val[name, "allocs/op"], "allocs/op"),
			ratio(name, floor, "allocs/op"), ratio(name, official, "allocs/op"),
			extra(name)
	}
}
