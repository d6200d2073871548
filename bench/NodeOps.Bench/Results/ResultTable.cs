using System.Globalization;
using System.Text;

namespace NodeOps.Bench.Results;

/// <summary>The human-readable table: one row per figure, grouped by scenario and latency.</summary>
public static class ResultTable
{
    private static readonly string[] Header = ["scenario", "latency", "metric", "value", "unit", "goal"];

    public static string Format(IEnumerable<ScenarioResult> results)
    {
        var rows = new List<string[]>();
        foreach (var result in results)
        {
            var first = true;
            foreach (var metric in result.Metrics)
            {
                rows.Add([
                    first ? result.Name : string.Empty,
                    first ? $"{result.LatencyMs} ms" : string.Empty,
                    metric.Key,
                    FormatValue(metric.Value),
                    metric.Unit,
                    metric.Goal is null ? string.Empty : $"{(metric.Met == true ? "met" : "MISSED")} ({metric.Goal})",
                ]);
                first = false;
            }
        }

        var widths = Header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        AppendRow(sb, Header, widths);
        AppendRow(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        string? scenario = null;
        foreach (var row in rows)
        {
            if (row[0].Length > 0 && scenario is not null)
            {
                sb.AppendLine();
            }

            scenario = row[0].Length > 0 ? row[0] : scenario;
            AppendRow(sb, row, widths);
        }

        return sb.ToString();
    }

    public static string FormatValue(double value)
    {
        if (!double.IsFinite(value))
        {
            return "n/a";
        }

        var magnitude = Math.Abs(value);
        var format = magnitude >= 1000 || value == Math.Floor(value) ? "#,0" : magnitude >= 10 ? "#,0.0" : magnitude >= 0.1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            line.Append(i == 3 ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append("  ");
        }

        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
