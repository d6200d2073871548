using System.Diagnostics;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

/// <summary>Keeps both cores busy for a few seconds, which would skew the timing tests: runs alone.</summary>
[CollectionDefinition(nameof(LargeHistoryTests), DisableParallelization = true)]
public sealed class LargeHistoryCollection
{
}

[Collection(nameof(LargeHistoryTests))]
public sealed class LargeHistoryTests
{
    [Fact]
    public async Task AHundredThousandRemediationsAreCheapToAddAndToPage()
    {
        await using var emu = await TestEmulator.StartAsync();
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        var watch = Stopwatch.StartNew();
        var total = await emu.Admin.AddTogetherHistoryAsync(clusterId, 100_000);
        Assert.Equal(100_008, total);

        var seen = 0;
        var path = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_size=1000";
        for (var page = 0; page < 200; page++)
        {
            var body = await emu.GetJsonAsync(path);
            seen += body.GetProperty("remediations").GetArrayLength();
            if (!body.GetProperty("has_next").GetBoolean())
            {
                break;
            }

            path = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_size=1000&page_token={Uri.EscapeDataString(body.Str("next_page_token"))}";
        }

        Assert.Equal(100_008, seen);
        var pending = (await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations?state=PENDING_APPROVAL")).Items("remediations");
        Assert.Equal(2, pending.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
