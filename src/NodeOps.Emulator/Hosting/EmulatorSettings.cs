namespace NodeOps.Emulator;

/// <summary>Durations that can be changed while the emulator runs (<c>PUT /_emulator/settings</c>).</summary>
public sealed class EmulatorSettings
{
    public int TogetherStepMs { get; set; }

    public int SfVmBootMs { get; set; }

    public int ExalsiusDiscoveryMs { get; set; }

    public int VpRemediateProcessingMs { get; set; }

    public int VpRemediationStepMs { get; set; }

    public int LatencyMs { get; set; }
}

/// <summary>Partial update for <see cref="EmulatorSettings"/>: only the non-null values change.</summary>
public sealed class EmulatorSettingsUpdate
{
    public int? TogetherStepMs { get; set; }

    public int? SfVmBootMs { get; set; }

    public int? ExalsiusDiscoveryMs { get; set; }

    public int? VpRemediateProcessingMs { get; set; }

    public int? VpRemediationStepMs { get; set; }

    public int? LatencyMs { get; set; }
}
