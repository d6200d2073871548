namespace NodeOps.Engine.Tests.Operations;

public sealed class ErrorReportTests
{
    public static TheoryData<int, ErrorKind, NodeOpsErrorCategory> StatusMapping => new()
    {
        { 400, ErrorKind.ValidationFailed, NodeOpsErrorCategory.InvalidArgument },
        { 401, ErrorKind.AuthenticationFailed, NodeOpsErrorCategory.AuthenticationError },
        { 403, ErrorKind.PermissionDenied, NodeOpsErrorCategory.PermissionDenied },
        { 404, ErrorKind.NotFound, NodeOpsErrorCategory.ObjectNotFound },
        { 409, ErrorKind.InvalidState, NodeOpsErrorCategory.InvalidOperation },
        { 422, ErrorKind.ValidationFailed, NodeOpsErrorCategory.InvalidArgument },
        { 429, ErrorKind.RateLimited, NodeOpsErrorCategory.LimitsExceeded },
        { 503, ErrorKind.ServerError, NodeOpsErrorCategory.ResourceUnavailable },
    };

    [Theory]
    [MemberData(nameof(StatusMapping))]
    public void An_http_status_maps_to_a_kind_a_category_and_a_stable_ErrorId(int status, ErrorKind kind, NodeOpsErrorCategory category)
    {
        var ex = new NodeOpsApiException(ErrorKindExtensions.FromStatus(status), "boom", status) { Provider = CloudProvider.Together, Target = "i-1" };

        var report = ErrorReport.From(ex);

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(kind.ToString(), report.ErrorId);
        Assert.Equal(category, report.Category);
        Assert.Equal("i-1", report.Target);
        Assert.Same(ex, report.Exception);
    }

    [Fact]
    public void Network_failures_are_ConnectionError_and_AlreadyExists_is_ResourceExists()
    {
        Assert.Equal(NodeOpsErrorCategory.ConnectionError, ErrorReport.From(new NodeOpsException(ErrorKind.ConnectionFailed, "refused")).Category);
        Assert.Equal(NodeOpsErrorCategory.ConnectionError, ErrorReport.From(new NodeOpsException(ErrorKind.OutcomeUnknown, "lost")).Category);
        Assert.Equal(NodeOpsErrorCategory.ResourceExists, ErrorReport.From(new NodeOpsException(ErrorKind.AlreadyExists, "dup")).Category);
        Assert.Equal(NodeOpsErrorCategory.NotImplemented, ErrorReport.From(new NodeOpsException(ErrorKind.NotSupported, "no")).Category);
    }

    [Fact]
    public void Every_kind_has_a_distinct_ErrorId_and_a_category()
    {
        var kinds = Enum.GetValues<ErrorKind>();
        Assert.Equal(kinds.Length, kinds.Select(k => k.ErrorId()).Distinct().Count());
        Assert.All(kinds.Where(k => k != ErrorKind.Unspecified), k => Assert.NotEqual(NodeOpsErrorCategory.NotSpecified, k.Category()));
    }

    [Fact]
    public void The_commands_target_object_wins_over_the_exceptions_id()
    {
        var node = new NodeRef(CloudProvider.Together, "i-1", "c-1");
        var report = ErrorReport.From(new NodeOpsException(ErrorKind.NotFound, "gone") { Target = "i-1" }, node);

        Assert.Same(node, report.Target);
    }

    [Fact]
    public void The_engines_recommended_action_is_kept_and_a_default_fills_in_when_missing()
    {
        var specific = ErrorReport.From(new NodeOpsException(ErrorKind.NotSupported, "no") { RecommendedAction = "Use Remove-GpuNode." });
        var auth = ErrorReport.From(new NodeOpsException(ErrorKind.AuthenticationFailed, "401") { Provider = CloudProvider.Together });
        var unknown = ErrorReport.From(new NodeOpsException(ErrorKind.OutcomeUnknown, "lost"));

        Assert.Equal("Use Remove-GpuNode.", specific.RecommendedAction);
        Assert.Contains("Connect-GpuCloud -Provider Together", auth.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("-IdempotencyKey", unknown.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_exceptions_get_a_generic_id_and_cancellation_is_OperationStopped()
    {
        var bug = ErrorReport.From(new InvalidOperationException("bug"), "t");
        var cancelled = ErrorReport.From(new TaskCanceledException());
        var argument = ErrorReport.From(new ArgumentException("bad"));
        var wrapped = ErrorReport.From(new AggregateException(new NodeOpsException(ErrorKind.RateLimited, "slow")));

        Assert.Equal(ErrorReport.UnexpectedErrorId, bug.ErrorId);
        Assert.Equal(NodeOpsErrorCategory.NotSpecified, bug.Category);
        Assert.Equal("t", bug.Target);
        Assert.Equal("Cancelled", cancelled.ErrorId);
        Assert.Equal(NodeOpsErrorCategory.OperationStopped, cancelled.Category);
        Assert.Equal(NodeOpsErrorCategory.InvalidArgument, argument.Category);
        Assert.Equal("RateLimited", wrapped.ErrorId);
    }
}
