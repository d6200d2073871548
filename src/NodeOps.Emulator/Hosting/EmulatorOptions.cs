using System.Globalization;
using System.Text.Json;
using NodeOps.Emulator.Faults;

namespace NodeOps.Emulator;

/// <summary>
/// Start-up options. Every property can also be given on the command line as <c>--kebab-case value</c>
/// (or <c>--kebab-case=value</c>); see <see cref="Parse"/>.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Listen address. Only loopback hosts are accepted; port 0 picks a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>null: any non-empty bearer token is accepted. Set: only this token.</summary>
    public string? Token { get; set; }

    public int Seed { get; set; } = 42;

    public int NodesPerProvider { get; set; } = 40;

    /// <summary>Nodes per Voltage Park fleet, Together cluster, Exalsius cluster group and SF procurement.</summary>
    public int NodesPerCluster { get; set; } = 20;

    /// <summary>Time a Together remediation spends in PENDING, and then in RUNNING, before SUCCEEDED.</summary>
    public int TogetherStepMs { get; set; } = 2000;

    /// <summary>Time a redeployed SF Compute VM stays Pending before it is Running.</summary>
    public int SfVmBootMs { get; set; } = 2000;

    /// <summary>Time an SSH-imported Exalsius node stays PENDING before it is AVAILABLE.</summary>
    public int ExalsiusDiscoveryMs { get; set; } = 2000;

    /// <summary>How long a Voltage Park remediate request keeps its Idempotency-Key "in progress".</summary>
    public int VpRemediateProcessingMs { get; set; }

    /// <summary>Time an accepted Voltage Park remediation spends in PROVISIONING, and then in VALIDATION, before READY.</summary>
    public int VpRemediationStepMs { get; set; } = 2000;

    /// <summary>Delay added to every provider request (not counted in Server-Timing).</summary>
    public int LatencyMs { get; set; }

    /// <summary>Seeded terminal-state history remediations per Together cluster (on top of the pending approvals).</summary>
    public int TogetherRemediationsPerCluster { get; set; } = 6;

    /// <summary>When set, the bound base address is written to this file once the server listens.</summary>
    public string? PortFile { get; set; }

    /// <summary>Random fault settings per provider name (<c>voltagepark</c>, ... or <c>*</c>), applied at start.</summary>
    public IDictionary<string, RandomFaultSettings> Faults { get; } = new Dictionary<string, RandomFaultSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Scripted faults per provider name (or <c>*</c>), queued at start.</summary>
    public IDictionary<string, List<ScriptedFault>> FaultScripts { get; } = new Dictionary<string, List<ScriptedFault>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Set by <c>--help</c>.</summary>
    public bool ShowHelp { get; set; }

    public const string Usage = """
        NodeOps provider API emulator (Voltage Park, Exalsius, Together AI, SF Compute)

        Options (all optional):
          --urls <url>                          listen address, loopback only (default http://127.0.0.1:5080; port 0 = free port)
          --token <token>                       only accept this bearer token (default: any non-empty token)
          --seed <int>                          seed for the generated data (default 42)
          --nodes-per-provider <int>            nodes per provider (default 40)
          --nodes-per-cluster <int>             nodes per VP fleet / Together cluster / SF procurement (default 20)
          --together-step-ms <int>              Together remediation PENDING and RUNNING duration (default 2000)
          --sf-vm-boot-ms <int>                 SF redeployed VM Pending -> Running (default 2000)
          --exalsius-discovery-ms <int>         Exalsius SSH import PENDING -> AVAILABLE (default 2000)
          --vp-remediate-processing-ms <int>    VP remediate Idempotency-Key in-progress window (default 0)
          --vp-remediation-step-ms <int>        VP remediated node PROVISIONING and VALIDATION duration (default 2000)
          --latency-ms <int>                    delay added to every provider request (default 0)
          --together-remediations-per-cluster <int>  seeded history remediations per Together cluster (default 6)
          --port-file <path>                    write the bound base address to this file
          --faults <provider|*>=<json>          random faults, e.g. --faults 'together={"errorRate":0.1,"errorCodes":[503]}'
          --fault-script <provider|*>=<json>    scripted faults (JSON array), e.g. --fault-script 'sfcompute=[{"kind":"drop-after","method":"PUT"}]'
          --help                                show this text
        """;

    /// <summary>Parses command-line arguments. Throws <see cref="ArgumentException"/> on unknown or malformed options.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new EmulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Options start with --.");
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name is "help" or "h")
            {
                options.ShowHelp = true;
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"Option --{name} needs a value.");
                }

                value = args[++i];
            }

            options.Apply(name, value);
        }

        return options;
    }

    private void Apply(string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case "urls": Urls = value; break;
            case "token": Token = value.Length == 0 ? null : value; break;
            case "seed": Seed = ParseInt(name, value, int.MinValue); break;
            case "nodes-per-provider": NodesPerProvider = ParseInt(name, value, 0); break;
            case "nodes-per-cluster": NodesPerCluster = ParseInt(name, value, 1); break;
            case "together-step-ms": TogetherStepMs = ParseInt(name, value, 0); break;
            case "sf-vm-boot-ms": SfVmBootMs = ParseInt(name, value, 0); break;
            case "exalsius-discovery-ms": ExalsiusDiscoveryMs = ParseInt(name, value, 0); break;
            case "vp-remediate-processing-ms": VpRemediateProcessingMs = ParseInt(name, value, 0); break;
            case "vp-remediation-step-ms": VpRemediationStepMs = ParseInt(name, value, 0); break;
            case "latency-ms": LatencyMs = ParseInt(name, value, 0); break;
            case "together-remediations-per-cluster": TogetherRemediationsPerCluster = ParseInt(name, value, 0); break;
            case "port-file": PortFile = value; break;
            case "faults":
                {
                    var (provider, json) = SplitProviderJson(name, value);
                    Faults[provider] = Deserialize<RandomFaultSettings>(name, json);
                    break;
                }

            case "fault-script":
                {
                    var (provider, json) = SplitProviderJson(name, value);
                    var list = Deserialize<List<ScriptedFault>>(name, json);
                    if (!FaultScripts.TryGetValue(provider, out var existing))
                    {
                        FaultScripts[provider] = existing = [];
                    }

                    existing.AddRange(list);
                    break;
                }

            default:
                throw new ArgumentException($"Unknown option --{name}. Use --help for the list.");
        }
    }

    private static int ParseInt(string name, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) || result < min)
        {
            throw new ArgumentException($"Option --{name} needs an integer >= {min}, got '{value}'.");
        }

        return result;
    }

    private static (string Provider, string Json) SplitProviderJson(string name, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ArgumentException($"Option --{name} expects <provider>=<json>, got '{value}'.");
        }

        return (value[..eq].Trim(), value[(eq + 1)..]);
    }

    private static T Deserialize<T>(string name, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Hosting.WireJson.Admin)
                ?? throw new ArgumentException($"Option --{name}: JSON value is null.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Option --{name}: invalid JSON ({e.Message}).", e);
        }
    }
}
