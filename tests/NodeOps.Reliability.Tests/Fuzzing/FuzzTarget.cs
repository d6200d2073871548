using NodeOps.Engine;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>
/// One engine entry point that reads a provider reply: the call, the reply status it is given, and the
/// documents whose mutations it is fed. Requests the call makes besides the fuzzed one (a second page,
/// fleet health, a read-back) get <see cref="Other"/>'s valid replies, so each mutation reaches the
/// reader under test.
/// </summary>
internal sealed class FuzzTarget
{
    public required string Name { get; init; }

    public required CloudProvider Provider { get; init; }

    /// <summary>Documents of the shape the call expects: unmutated, each must give a value (or, for an error status, the API error).</summary>
    public required IReadOnlyList<string> Bases { get; init; }

    /// <summary>Documents of another shape (request bodies, other replies): mutation bases all the same.</summary>
    public IReadOnlyList<string> ForeignBases { get; init; } = [];

    public required Func<NodeOpsClient, CancellationToken, Task<object?>> Invoke { get; init; }

    /// <summary>The status the fuzzed reply carries; 4xx/5xx targets fuzz the error-body parsers.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Which requests get the mutated body; by default all of them.</summary>
    public Func<HttpRequestMessage, bool> IsFuzzed { get; init; } = _ => true;

    /// <summary>Replies to the requests that are not fuzzed.</summary>
    public Func<HttpRequestMessage, CannedReply>? Other { get; init; }

    public bool IsErrorReply => Status >= 400;

    public override string ToString() => Name;
}

/// <summary>The fuzz corpus: the seed documents' JSON examples and the emulator-emitted replies in Fuzzing/Corpus.</summary>
internal static class Corpus
{
    private const string SeedPrefix = "seed:";

    private static readonly Dictionary<string, byte[]> Cache = [];

    /// <summary><c>seed:name.json</c> is a file of Seeds/ (the seed documents' examples); anything else a file of Fuzzing/Corpus.</summary>
    public static byte[] Bytes(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var bytes))
            {
                bytes = name.StartsWith(SeedPrefix, StringComparison.Ordinal)
                    ? SeedFiles.Bytes(name[SeedPrefix.Length..])
                    : File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus", name));
                Cache[name] = bytes;
            }

            return bytes;
        }
    }

    public static CannedReply Ok(string name) => new(200, Bytes(name));

    public static IEnumerable<string> SeedNames() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Seeds"), "*.json").Select(p => SeedPrefix + Path.GetFileName(p));

    public static IEnumerable<string> CorpusNames() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus"), "*.json").Select(Path.GetFileName).OfType<string>();
}
