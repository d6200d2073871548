using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed partial class HostingTests
{
    [Fact]
    public async Task StartsOnAFreeLoopbackPortAndReportsIt()
    {
        var portFile = Path.Combine(Path.GetTempPath(), "nodeops-emu-" + Guid.NewGuid().ToString("N") + ".port");
        try
        {
            await using var emu = await TestEmulator.StartAsync(o => o.PortFile = portFile);
            var address = emu.Server.BaseAddress;
            Assert.Equal("127.0.0.1", address.Host);
            Assert.NotEqual(0, address.Port);
            Assert.EndsWith("/", address.ToString(), StringComparison.Ordinal);
            Assert.Equal($"http://127.0.0.1:{address.Port}/together", emu.Server.ProviderBaseUrl("together").ToString());
            Assert.Equal(address.ToString(), (await File.ReadAllTextAsync(portFile)).Trim());
        }
        finally
        {
            File.Delete(portFile);
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://192.168.1.1:5080")]
    [InlineData("https://127.0.0.1:0")]
    public async Task RefusesToBindAnythingButLoopbackHttp(string urls)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Urls = urls }));
    }

    [Fact]
    public void ParsesKebabCaseCommandLineOptions()
    {
        var options = EmulatorOptions.Parse(
        [
            "--urls", "http://127.0.0.1:0", "--token=secret", "--seed", "7", "--nodes-per-provider", "2500",
            "--nodes-per-cluster", "50", "--together-step-ms", "10", "--sf-vm-boot-ms", "11", "--exalsius-discovery-ms", "12",
            "--vp-remediate-processing-ms", "13", "--latency-ms", "14", "--together-remediations-per-cluster", "100000",
            "--port-file", "/tmp/p", "--faults", "together={\"errorRate\":0.5,\"errorCodes\":[503]}",
            "--fault-script", "sfcompute=[{\"kind\":\"drop-after\",\"method\":\"PUT\"}]",
        ]);
        Assert.Equal("secret", options.Token);
        Assert.Equal(7, options.Seed);
        Assert.Equal(2500, options.NodesPerProvider);
        Assert.Equal(50, options.NodesPerCluster);
        Assert.Equal(10, options.TogetherStepMs);
        Assert.Equal(11, options.SfVmBootMs);
        Assert.Equal(12, options.ExalsiusDiscoveryMs);
        Assert.Equal(13, options.VpRemediateProcessingMs);
        Assert.Equal(14, options.LatencyMs);
        Assert.Equal(100000, options.TogetherRemediationsPerCluster);
        Assert.Equal("/tmp/p", options.PortFile);
        Assert.Equal(0.5, options.Faults["together"].ErrorRate);
        Assert.Equal([503], options.Faults["together"].ErrorCodes);
        Assert.Equal("drop-after", Assert.Single(options.FaultScripts["sfcompute"]).Kind);
    }

    [Theory]
    [InlineData("--bogus", "1")]
    [InlineData("--seed", "x")]
    [InlineData("--faults", "together")]
    [InlineData("--nodes-per-cluster", "0")]
    public void RejectsBadCommandLines(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse([name, value]));
    }

    [Fact]
    public async Task EveryProviderResponseCarriesServerTimingWithoutInjectedLatency()
    {
        await using var emu = await TestEmulator.StartAsync();
        string[] paths = ["voltagepark/v1/fleets", "exalsius/v1/nodes", "together/v1/compute/clusters", "sfcompute/v1/nodes", "sfcompute/v1/nodes/nope"];
        foreach (var path in paths)
        {
            // Warm up first: the first call of each route pays for JIT, which is real handling time.
            using var warm = await emu.GetAsync(path);
        }

        await emu.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { LatencyMs = 500 });
        foreach (var path in paths)
        {
            var watch = Stopwatch.StartNew();
            using var response = await emu.GetAsync(path);
            watch.Stop();
            var header = Assert.Single(response.Headers.GetValues("Server-Timing"));
            var match = ServerTiming().Match(header);
            Assert.True(match.Success, header);
            var duration = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(watch.ElapsedMilliseconds >= 490, $"latency was not applied to {path}");
            // Robust under load: had the 500 ms been counted, dur would be close to the whole elapsed time.
            Assert.True(duration <= watch.Elapsed.TotalMilliseconds - 500 + 50, $"Server-Timing {duration} ms includes the injected latency for {path} (elapsed {watch.ElapsedMilliseconds} ms)");
        }

        using var unauthorized = new HttpClient();
        using var denied = await unauthorized.GetAsync(emu.Url("together/v1/compute/clusters"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Matches(ServerTiming(), Assert.Single(denied.Headers.GetValues("Server-Timing")));
    }

    [Theory]
    [InlineData("voltagepark")]
    [InlineData("exalsius")]
    [InlineData("together")]
    [InlineData("sfcompute")]
    public async Task UnknownRoutesAnswer404InTheProviderShape(string provider)
    {
        await using var emu = await TestEmulator.StartAsync();
        var body = await emu.GetJsonAsync(provider + "/v1/does-not-exist", HttpStatusCode.NotFound);
        AuthTests.AssertProviderErrorShape(provider, body, 404, remediationPath: false);
    }

    [GeneratedRegex(@"^emu;dur=(\d+\.\d{3})$")]
    private static partial Regex ServerTiming();

    [Fact]
    public async Task TheProgramPrintsEachBaseUrlAndTakesItsTokenFromTheCommandLine()
    {
        // The real entry point, as `dotnet run --project src/NodeOps.Emulator -- --urls ...` starts it.
        var dll = typeof(EmulatorServer).Assembly.Location;
        var host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0", "--token", "printed-test-token" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var printed = new Dictionary<string, Uri>(StringComparer.Ordinal);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (printed.Count < 5 && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (BaseUrlLine().Match(line) is { Success: true } m)
                {
                    printed[m.Groups[1].Value] = new Uri(m.Groups[2].Value);
                }
            }

            Assert.Equal(["admin", "exalsius", "sfcompute", "together", "voltagepark"], printed.Keys.Order(StringComparer.Ordinal));
            var port = printed["admin"].Port;
            Assert.NotEqual(0, port);
            Assert.Equal($"http://127.0.0.1:{port}/_emulator/", printed["admin"].ToString());
            foreach (var provider in EmulatorServer.ProviderNames)
            {
                Assert.Equal($"http://127.0.0.1:{port}/{provider}", printed[provider].ToString());
            }

            using var http = new HttpClient();
            using var anonymous = await http.GetAsync(new Uri(printed["together"] + "/v1/compute/clusters"));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(printed["together"] + "/v1/compute/clusters"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "printed-test-token");
            using var authorised = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"^(voltagepark|exalsius|together|sfcompute|admin): (http://\S+)$")]
    private static partial Regex BaseUrlLine();
}
