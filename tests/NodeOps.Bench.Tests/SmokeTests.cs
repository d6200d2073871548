using System.Text.Json;
using NodeOps.Bench.Results;

namespace NodeOps.Bench.Tests;

/// <summary>
/// The benchmark in smoke mode (tiny sizes): every scenario runs and its figures are consistent with what
/// was seeded. Speed is the benchmark's business, not the test's: no figure here is a timing goal.
/// </summary>
public sealed class SmokeTests(SmokeRun run) : IClassFixture<SmokeRun>
{
    private const int Providers = 4;

    public static TheoryData<string> Payloads => new()
    {
        "voltagepark.nodes", "voltagepark.remediations", "exalsius.nodes", "together.nodes", "together.remediations", "sfcompute.nodes", "sfcompute.remediations",
    };

    [Fact]
    public void EveryScenarioRanAtEveryLatency()
    {
        foreach (var latency in run.Options.LatenciesMs)
        {
            run.Single("list", latency);
            run.Single("streaming", latency);
            run.Single("fanout", latency, "together");
            run.Single("fanout", latency, "voltagepark");
        }

        foreach (var payload in Payloads)
        {
            run.Single("parse", 0, payload);
        }

        run.Single("cold-start", 0);
        Assert.Equal(4 * run.Options.LatenciesMs.Count + Payloads.Count + 1, run.Report.Results.Count);
    }

    [Fact]
    public void TheListingListsExactlyTheSeededNodesWithTheRequestsTheApisNeed()
    {
        var perProvider = run.Options.Nodes / Providers;
        var fleets = perProvider / run.Options.NodesPerCluster;
        foreach (var latency in run.Options.LatenciesMs)
        {
            var list = run.Single("list", latency);
            Assert.Equal(perProvider * Providers, list["nodes"]);
            Assert.Equal(list["seededNodes"], list["nodes"]);
            foreach (var provider in new[] { "voltagepark", "exalsius", "together", "sfcompute" })
            {
                Assert.Equal(perProvider, list[$"nodes.{provider}"]);
            }

            // Exalsius and SF Compute do not page and Together's cluster list carries the workers.
            Assert.Equal(1, list["requests.exalsius"]);
            Assert.Equal(1, list["requests.together"]);
            Assert.Equal(1, list["requests.sfcompute"]);

            // Voltage Park: the fleet list, each ACTIVE fleet's health (the emulator's last fleet is
            // PROVISIONING), and one node page per fleet (fleets are smaller than a page here).
            Assert.Equal(1 + (fleets - 1) + fleets, list["requests.voltagepark"]);
            Assert.Equal(2, list["floorRoundTrips"]);
            Assert.True(list["wallMs"] > 0);
            Assert.True(list["allocatedBytesPerNode"] > 0);
            Assert.True(list["peakHeapMB"] >= list["baselineHeapMB"]);
            Assert.True(double.IsFinite(list["clientOverheadUsPerNode"]));

            // The emulator reports the latency it added as it really elapsed: what was asked for per request, give
            // or take the timer's coarse clock (about a millisecond per wait), and never more than the wall time.
            // Each ACTIVE fleet's health read runs beside its first page, so its latency is not on the path.
            Assert.Equal(fleets - 1, list["healthReadsBesidePages"]);
            var requests = list["requests.voltagepark"] + list["requests.exalsius"] + list["requests.together"] + list["requests.sfcompute"];
            if (latency == 0)
            {
                Assert.Equal(0, list["addedLatencyMs"]);
            }
            else
            {
                Assert.InRange(list["addedLatencyMs"], (requests - list["healthReadsBesidePages"]) * (latency - 1), list["sequentialWallMs"]);
            }
        }

        var slow = run.Single("list", run.Options.LatenciesMs.Max());
        Assert.Equal(slow["floorRoundTrips"] * slow.LatencyMs, slow["floorMs"]);
        Assert.Equal(slow["wallMs"] / slow["floorMs"], slow["ratioToFloor"], 6);
    }

    [Fact]
    public void StreamingYieldsEveryRemediationPageByPage()
    {
        foreach (var latency in run.Options.LatenciesMs)
        {
            var streaming = run.Single("streaming", latency);
            Assert.Equal(run.Options.Remediations, streaming["remediations"]);
            Assert.Equal(run.Options.Remediations, streaming["expected"]);
            Assert.Equal(Math.Ceiling((double)run.Options.Remediations / run.Options.RemediationPageSize), streaming["requests"]);
            Assert.True(streaming["peakHeapLastTenthMB"] > 0 && streaming["peakHeapFirstTenthMB"] > 0);
            Assert.InRange(streaming["addedLatencyMs"], streaming["requests"] * Math.Max(0, latency - 1), streaming["wallMs"] + 1);
            Assert.NotNull(streaming.Find("peakHeapGrowth")?.Met);
        }
    }

    [Fact]
    public void TogetherFanOutSendsOneRequestPerInstanceAndEveryOneSucceeds()
    {
        foreach (var latency in run.Options.LatenciesMs)
        {
            var fanOut = run.Single("fanout", latency, "together");
            Assert.Equal(run.Options.FanOut, fanOut["instances"]);
            Assert.Equal(run.Options.FanOut, fanOut["requests"]);
            Assert.Equal(run.Options.FanOut, fanOut["outcomes"]);
            Assert.Equal(run.Options.FanOut, fanOut["succeeded"]);
            Assert.Equal(run.Options.Concurrency, fanOut["concurrency"]);
            if (latency > 0)
            {
                Assert.Equal((double)run.Options.FanOut / run.Options.Concurrency * latency, fanOut["idealMs"], 6);
            }
        }
    }

    [Fact]
    public void VoltageParkFanOutRemediatesAWholeFleetInTheFewestRequests()
    {
        foreach (var latency in run.Options.LatenciesMs)
        {
            var fanOut = run.Single("fanout", latency, "voltagepark");
            Assert.Equal(run.Options.FanOut, fanOut["nodes"]);
            Assert.Equal(1, fanOut["fleets"]);
            Assert.Equal(run.Options.FanOut, fanOut["outcomes"]);

            // No batch limit is documented, so one fleet takes exactly one request.
            Assert.Equal(1, fanOut["minimumRequests"]);
            Assert.Equal(1, fanOut["requests"]);
            Assert.True(fanOut.Find("requests")!.Met);
            Assert.InRange(fanOut["accepted"], 1, run.Options.FanOut);
        }
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void EachPayloadIsParsedAndMappedIntoObjects(string payload)
    {
        var parse = run.Single("parse", 0, payload);
        Assert.True(parse["payloadBytes"] > 0);
        Assert.True(parse["iterations"] >= 3);
        Assert.True(parse["megabytesPerSecond"] > 0);
        Assert.Equal(parse["objectsPerPayload"] * parse["iterations"] / parse["objectsPerSecond"] * 1e6, parse["microsecondsPerObject"] * parse["objectsPerPayload"] * parse["iterations"], 3);
        var expected = payload switch
        {
            // One fleet's page, one cluster's workers, one page of remediations, one redeployed node.
            "voltagepark.nodes" or "voltagepark.remediations" => run.Options.NodesPerCluster,
            "together.nodes" => run.Options.NodesPerCluster,
            "together.remediations" => 1000,
            "exalsius.nodes" or "sfcompute.nodes" => run.Options.Nodes / Providers,
            "sfcompute.remediations" => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(payload)),
        };
        Assert.Equal(expected, parse["objectsPerPayload"]);
    }

    [Fact]
    public void ColdStartTimesAFreshProcessUpToItsFirstCompletedCall()
    {
        var cold = run.Single("cold-start", 0);
        Assert.Equal(run.Options.ColdStartRuns, cold["runs"]);
        Assert.Equal(40, cold["nodesListed"]);
        Assert.True(cold["firstCallMs"] > 0);
        Assert.True(cold["totalMs"] > cold["firstCallMs"]);
    }

    [Fact]
    public void EveryResultIsPrintedAsOneJsonLineWithTheSameFigures()
    {
        Assert.Equal(run.Report.Results.Count, run.Report.JsonLines.Count);
        foreach (var (result, line) in run.Report.Results.Zip(run.Report.JsonLines))
        {
            Assert.DoesNotContain('\n', line);
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal("NodeOps", root.GetProperty("bench").GetString());
            Assert.Equal(result.Scenario, root.GetProperty("scenario").GetString());
            Assert.Equal(result.LatencyMs, root.GetProperty("latencyMs").GetInt32());
            Assert.Equal(result.Variant, root.TryGetProperty("variant", out var v) ? v.GetString() : null);
            foreach (var metric in result.Metrics)
            {
                Assert.Equal(Math.Round(metric.Value, 3), root.GetProperty(metric.Key).GetDouble());
                if (metric.Goal is not null)
                {
                    Assert.Equal(metric.Met == true, root.GetProperty("goals").GetProperty(metric.Key).GetProperty("met").GetBoolean());
                }
            }
        }
    }

    [Fact]
    public void TheTableShowsEveryResultAndTheMachine()
    {
        var table = ResultTable.Format(run.Report.Results);
        foreach (var result in run.Report.Results)
        {
            Assert.Contains(result.Name, table, StringComparison.Ordinal);
        }

        Assert.True(run.Report.Machine.Cores > 0);
        Assert.Contains("emulator at http://127.0.0.1:", run.Log, StringComparison.Ordinal);
        Assert.Contains("(child process)", run.Log, StringComparison.Ordinal);
    }
}
