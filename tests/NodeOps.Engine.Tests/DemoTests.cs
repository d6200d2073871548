using NodeOps.Demo;

namespace NodeOps.Engine.Tests;

/// <summary>The README's engine demo (samples/NodeOps.Demo) keeps working.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_lists_plans_remediates_approves_and_explains_what_is_unsupported()
    {
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await DemoRunner.RunAsync(output, timeout.Token);

        var text = output.ToString();
        foreach (var provider in new[] { "VoltagePark", "Exalsius", "Together", "SFCompute" })
        {
            Assert.Contains("  " + provider, text, StringComparison.Ordinal);
        }

        Assert.Contains("What if: VoltagePark would remediate", text, StringComparison.Ordinal);
        Assert.Contains("  Succeeded       Together", text, StringComparison.Ordinal);
        Assert.Contains("NotSupported (NotImplemented): Exalsius has no API to remediate nodes.", text, StringComparison.Ordinal);
    }
}
