using NodeOps.Engine;
using Xunit.Abstractions;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>
/// Mutations of every seed-document JSON example and of representative emulator replies, through every
/// provider's reply readers: only a value or a <see cref="NodeOpsException"/> may come out. 3,000
/// mutations per provider (12,000 in all), fixed seed.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int MutationsPerProvider = 3000;

    /// <summary>A longer local run: NODEOPS_FUZZ_MUTATIONS=100000 (per provider). Never fewer than the default.</summary>
    private static int Budget =>
        int.TryParse(Environment.GetEnvironmentVariable("NODEOPS_FUZZ_MUTATIONS"), out var n) && n > MutationsPerProvider ? n : MutationsPerProvider;

    public static TheoryData<CloudProvider> Providers() => new(Enum.GetValues<CloudProvider>());

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Mutated_replies_give_a_value_or_a_NodeOpsException(CloudProvider provider)
    {
        var report = await ParserFuzzer.RunAsync(provider, Budget);

        output.WriteLine(report.ToString());
        foreach (var failure in report.Failures.Take(20))
        {
            output.WriteLine(failure);
        }

        Assert.True(report.Failures.Count == 0, $"{report.Failures.Count} of {report.Cases} mutations broke the contract; first:\n{report.Failures.FirstOrDefault()}");
        Assert.True(report.Cases >= MutationsPerProvider, $"only {report.Cases} mutations ran");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Mutations_reach_both_the_accepting_and_the_refusing_path_of_every_reader(CloudProvider provider)
    {
        // A fuzz run whose mutations were all rejected by the JSON reader (or all harmless) would prove
        // nothing about the mappings behind it.
        var report = await ParserFuzzer.RunAsync(provider, 600);

        foreach (var target in ParserFuzzer.TargetsOf(provider))
        {
            var seen = report.OutcomesByTarget[target.Name];
            if (target.IsErrorReply)
            {
                Assert.All(seen, o => Assert.StartsWith($"api error {target.Status} ", o, StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains("value", seen);
                Assert.Contains(nameof(ErrorKind.InvalidResponse), seen);
            }
        }
    }

    [Fact]
    public async Task Every_base_document_is_read_as_its_target_expects_before_mutation()
    {
        var transport = new InMemoryTransport();
        foreach (var target in ParserFuzzer.AllTargets())
        {
            var client = transport.Client(target.Provider);
            foreach (var name in target.Bases)
            {
                var (outcome, violation) = await ParserFuzzer.OutcomeAsync(client, transport, target, Corpus.Bytes(name));

                Assert.Null(violation);
                Assert.True(
                    target.IsErrorReply ? outcome.StartsWith($"api error {target.Status} ", StringComparison.Ordinal) : outcome == "value",
                    $"'{name}' through '{target.Name}' gave {outcome}");
            }
        }
    }

    [Fact]
    public void Every_seed_example_and_every_corpus_file_is_a_mutation_base()
    {
        var used = ParserFuzzer.AllTargets().SelectMany(t => t.Bases.Concat(t.ForeignBases)).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(Corpus.SeedNames());
        Assert.All(Corpus.SeedNames().Concat(Corpus.CorpusNames()), name => Assert.Contains(name, used));
    }
}
