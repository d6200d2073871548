namespace NodeOps.Emulator.Faults;

/// <summary>Random settings and the scripted queue of one provider. Thread-safe.</summary>
internal sealed class ProviderFaults
{
    private readonly object _gate = new();
    private readonly int _defaultSeed;
    private readonly List<ScriptEntry> _script = [];
    private RandomFaultSettings _settings = new();
    private Random _random;

    public ProviderFaults(int defaultSeed)
    {
        _defaultSeed = defaultSeed;
        _random = new Random(defaultSeed);
    }

    public RandomFaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings.Clone();
            }
        }
    }

    public IReadOnlyList<ScriptedFault> Script
    {
        get
        {
            lock (_gate)
            {
                return _script.Select(e => e.ToPublic()).ToList();
            }
        }
    }

    public void SetRandom(RandomFaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings.Clone();
            _random = new Random(settings.Seed ?? _defaultSeed);
        }
    }

    public void Append(IEnumerable<ScriptedFault> faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _script.Add(ScriptEntry.From(fault));
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _script.Clear();
            _settings = new RandomFaultSettings();
            _random = new Random(_defaultSeed);
        }
    }

    public FaultDecision Decide(string method, string path, string rawTarget)
    {
        lock (_gate)
        {
            for (var i = 0; i < _script.Count; i++)
            {
                var entry = _script[i];
                if (!entry.Matches(method, path, rawTarget))
                {
                    continue;
                }

                entry.Remaining--;
                if (entry.Remaining <= 0)
                {
                    _script.RemoveAt(i);
                }

                return entry.Decision;
            }

            return DrawRandom();
        }
    }

    private FaultDecision DrawRandom()
    {
        var s = _settings;
        var delay = s.LatencyMs;
        if (s.LatencySpikeRate > 0 && _random.NextDouble() < s.LatencySpikeRate)
        {
            delay += s.LatencySpikeMs;
        }

        if (s.ErrorRate > 0 && _random.NextDouble() < s.ErrorRate)
        {
            var code = s.ErrorCodes[_random.Next(s.ErrorCodes.Count)];
            return new FaultDecision(FaultKind.Status, code, 0, delay);
        }

        if (s.RateLimitRate > 0 && _random.NextDouble() < s.RateLimitRate)
        {
            return new FaultDecision(FaultKind.RateLimit, 429, s.RetryAfterSeconds, delay);
        }

        if (s.DropAfterRate > 0 && _random.NextDouble() < s.DropAfterRate)
        {
            return new FaultDecision(FaultKind.DropAfter, 0, 0, delay);
        }

        if (s.MalformedRate > 0 && _random.NextDouble() < s.MalformedRate)
        {
            return new FaultDecision(FaultKind.Malformed, 0, 0, delay);
        }

        return new FaultDecision(FaultKind.None, 0, 0, delay);
    }

    private sealed class ScriptEntry
    {
        public required FaultDecision Decision { get; init; }

        public required string Kind { get; init; }

        public string? Method { get; init; }

        public string? PathContains { get; init; }

        public int Remaining { get; set; }

        public static ScriptEntry From(ScriptedFault fault)
        {
            if (!FaultKinds.TryParse(fault.Kind, out var kind) || kind == FaultKind.None)
            {
                throw new ArgumentException($"Unknown fault kind '{fault.Kind}'. Use status, ratelimit, latency, drop-after, malformed or hang.");
            }

            var decision = kind switch
            {
                FaultKind.Status => new FaultDecision(kind, fault.Status ?? 503, 0, 0),
                FaultKind.RateLimit => new FaultDecision(kind, 429, fault.RetryAfterSeconds ?? 1, 0),
                FaultKind.Latency => new FaultDecision(FaultKind.None, 0, 0, fault.DelayMs ?? 1000),
                _ => new FaultDecision(kind, 0, 0, fault.DelayMs ?? 0),
            };
            if (kind == FaultKind.Status && decision.Status is < 400 or > 599)
            {
                throw new ArgumentException("A status fault needs a 4xx or 5xx status.");
            }

            return new ScriptEntry
            {
                Decision = decision,
                Kind = kind.WireName(),
                Method = string.IsNullOrEmpty(fault.Method) ? null : fault.Method,
                PathContains = string.IsNullOrEmpty(fault.PathContains) ? null : fault.PathContains,
                Remaining = Math.Max(1, fault.Count ?? 1),
            };
        }

        public bool Matches(string method, string path, string rawTarget)
        {
            if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return PathContains is null
                || path.Contains(PathContains, StringComparison.Ordinal)
                || rawTarget.Contains(PathContains, StringComparison.Ordinal);
        }

        public ScriptedFault ToPublic() => new()
        {
            Kind = Kind,
            Status = Decision.Kind == FaultKind.Status ? Decision.Status : null,
            RetryAfterSeconds = Decision.Kind == FaultKind.RateLimit ? Decision.RetryAfterSeconds : null,
            DelayMs = Decision.DelayMs > 0 ? Decision.DelayMs : null,
            Method = Method,
            PathContains = PathContains,
            Count = Remaining,
        };
    }
}
