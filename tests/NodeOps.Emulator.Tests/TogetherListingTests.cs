using System.Net;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class TogetherListingTests
{
    [Fact]
    public async Task SeededHistoryHasTerminalStatesIncludingQuarantined()
    {
        await using var emu = await TestEmulator.StartAsync();
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        var all = (await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations")).Items("remediations");
        Assert.Equal(8, all.Count);
        var states = all.Select(r => r.Str("state")).ToHashSet();
        Assert.Superset(new HashSet<string> { "PENDING_APPROVAL", "SUCCEEDED", "FAILED", "CANCELLED", "AUTO_RESOLVED", "QUARANTINED" }, states);
        Assert.Contains(all, r => r.Str("state") == "FAILED" && r.Has("error_message"));
        Assert.Contains(all, r => r.Str("state") == "CANCELLED" && r.Has("reviewed_by"));
        Assert.Contains(all, r => r.Str("state") == "CANCELLED" && !r.Has("reviewed_by"));
        var times = all.Select(r => DateTimeOffset.Parse(r.Str("create_time"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Theory]
    [InlineData("pageSize", "pageToken")]
    [InlineData("page_size", "page_token")]
    public async Task PagingVisitsEveryRemediationOnceWithEitherSpelling(string sizeName, string tokenName)
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherRemediationsPerCluster = 37);
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        var ids = new List<string>();
        var path = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?{sizeName}=5";
        for (var page = 0; page < 50; page++)
        {
            var body = await emu.GetJsonAsync(path);
            var items = body.Items("remediations");
            Assert.True(items.Count <= 5);
            ids.AddRange(items.Select(r => r.Str("id")));
            if (!body.GetProperty("has_next").GetBoolean())
            {
                Assert.Equal("", body.Str("next_page_token"));
                break;
            }

            path = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?{sizeName}=5&{tokenName}={Uri.EscapeDataString(body.Str("next_page_token"))}";
        }

        Assert.Equal(39, ids.Count);
        Assert.Equal(39, ids.Distinct().Count());
    }

    [Fact]
    public async Task StateFilterAcceptsRepeatedAndCommaSeparatedValues()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherRemediationsPerCluster = 30);
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        var basePath = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_size=1000&";
        var repeated = (await emu.GetJsonAsync(basePath + "state=FAILED&state=QUARANTINED")).Items("remediations").Select(r => r.Str("id")).ToList();
        var comma = (await emu.GetJsonAsync(basePath + "state=FAILED,QUARANTINED")).Items("remediations").Select(r => r.Str("id")).ToList();
        var failed = (await emu.GetJsonAsync(basePath + "state=FAILED")).Items("remediations");
        Assert.Equal(10, repeated.Count);
        Assert.Equal(repeated, comma);
        Assert.All(failed, r => Assert.Equal("FAILED", r.Str("state")));

        var error = await emu.GetJsonAsync(basePath + "state=EXPLODED", HttpStatusCode.BadRequest);
        Assert.Equal(3, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ListingOneInstanceOnlyReturnsItsRemediations()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, pending) = await TogetherTests.PendingApprovalsAsync(emu);
        var instance = pending[0].Str("instance_id");
        var list = (await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/{instance}/remediations")).Items("remediations");
        Assert.NotEmpty(list);
        Assert.All(list, r => Assert.Equal(instance, r.Str("instance_id")));
        await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/i-unknown/remediations", HttpStatusCode.NotFound);
        await emu.GetJsonAsync("together/v1/compute/clusters/nope/instances/-/remediations", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("orderBy=create_time", false)]
    [InlineData("order_by=create_time%20asc", false)]
    [InlineData("orderBy=create_time%20desc", true)]
    [InlineData("", true)]
    public async Task OrderByCreateTime(string query, bool descending)
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherRemediationsPerCluster = 12);
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        var list = (await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_size=3&{query}")).Items("remediations");
        var times = list.Select(r => DateTimeOffset.Parse(r.Str("create_time"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(descending ? times.OrderByDescending(t => t) : times.OrderBy(t => t), times);
        await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations?orderBy=priority", HttpStatusCode.BadRequest);
        await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_token=garbage", HttpStatusCode.BadRequest);
    }
}
