namespace NodeOps.Engine.Providers.Together;

/// <summary>Remediation modes: the wire names, and the short names the cmdlets accept.</summary>
public static class TogetherModes
{
    public const string VmOnly = "REMEDIATION_MODE_VM_ONLY";
    public const string HostAware = "REMEDIATION_MODE_HOST_AWARE";
    public const string EvictWithoutReplacement = "REMEDIATION_MODE_EVICT_WITHOUT_REPLACEMENT";
    public const string RebootVm = "REMEDIATION_MODE_REBOOT_VM";
    public const string HostPowerCycle = "REMEDIATION_MODE_HOST_POWER_CYCLE";

    private static readonly Dictionary<string, string> Short = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VmOnly"] = VmOnly,
        ["HostAware"] = HostAware,
        ["EvictWithoutReplacement"] = EvictWithoutReplacement,
        ["RebootVm"] = RebootVm,
        ["HostPowerCycle"] = HostPowerCycle,
    };

    /// <summary>The short names, for tab completion and validation messages.</summary>
    public static IReadOnlyCollection<string> ShortNames => Short.Keys;

    /// <summary>
    /// Accepts a short name (VmOnly) or any wire name (REMEDIATION_MODE_…, so modes Together adds later
    /// work without a NodeOps release).
    /// </summary>
    public static string ToWire(string? mode, string parameterName = "Mode")
    {
        if (string.IsNullOrWhiteSpace(mode))
        {
            return VmOnly;
        }

        if (Short.TryGetValue(mode, out var wire))
        {
            return wire;
        }

        if (mode.StartsWith("REMEDIATION_MODE_", StringComparison.Ordinal) && mode.Length > 17 && mode.All(c => c is (>= 'A' and <= 'Z') or '_' or (>= '0' and <= '9')))
        {
            return mode;
        }

        throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{mode}' is not a Together remediation mode. Use one of {string.Join(", ", Short.Keys)} or a REMEDIATION_MODE_… name.")
        {
            Provider = CloudProvider.Together,
        };
    }
}
