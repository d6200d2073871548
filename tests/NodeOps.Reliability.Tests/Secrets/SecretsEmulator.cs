using NodeOps.Emulator;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Secrets;

/// <summary>An emulator that accepts only <see cref="SecretForms.Jwt"/>, so a client with it works and one with another token gets 401s.</summary>
public sealed class SecretsEmulator : EmulatorFixture
{
    protected override EmulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Token = SecretForms.Jwt;
        options.NodesPerProvider = 12;
        options.NodesPerCluster = 6;
        return options;
    }
}
