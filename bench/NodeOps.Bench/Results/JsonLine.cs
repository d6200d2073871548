using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NodeOps.Bench.Results;

/// <summary>
/// One result as one line of JSON, flat so that <c>jq</c> or a spreadsheet can pick figures by name:
/// <c>{"bench":"NodeOps","scenario":"list","latencyMs":20,"nodes":10000,...,"goals":{"key":{"goal":"...","met":true}}}</c>.
/// </summary>
public static class JsonLine
{
    public static string Write(ScenarioResult result)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps '<', 'µ' and quotes readable; the lines are never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("bench", "NodeOps");
            json.WriteString("scenario", result.Scenario);
            if (result.Variant is not null)
            {
                json.WriteString("variant", result.Variant);
            }

            json.WriteNumber("latencyMs", result.LatencyMs);
            foreach (var metric in result.Metrics)
            {
                if (double.IsFinite(metric.Value))
                {
                    json.WriteNumber(metric.Key, Math.Round(metric.Value, 3));
                }
                else
                {
                    json.WriteNull(metric.Key);
                }
            }

            var goals = result.Metrics.Where(m => m.Goal is not null).ToList();
            if (goals.Count > 0)
            {
                json.WriteStartObject("goals");
                foreach (var metric in goals)
                {
                    json.WriteStartObject(metric.Key);
                    json.WriteString("goal", metric.Goal);
                    json.WriteBoolean("met", metric.Met == true);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            if (result.Notes.Count > 0)
            {
                json.WriteStartArray("notes");
                foreach (var note in result.Notes)
                {
                    json.WriteStringValue(note);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
