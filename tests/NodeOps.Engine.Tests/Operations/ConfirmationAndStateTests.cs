namespace NodeOps.Engine.Tests.Operations;

public sealed class ConfirmationAndStateTests
{
    [Theory]
    [InlineData(false, false, false, ConfirmationDecision.AskShouldProcess)]
    [InlineData(true, false, false, ConfirmationDecision.Proceed)]
    [InlineData(true, true, false, ConfirmationDecision.AskShouldProcess)]
    [InlineData(true, false, true, ConfirmationDecision.AskShouldProcess)]
    [InlineData(false, true, false, ConfirmationDecision.AskShouldProcess)]
    public void Force_skips_the_prompt_but_never_WhatIf_or_an_explicit_Confirm(bool force, bool whatIf, bool confirm, ConfirmationDecision expected)
    {
        Assert.Equal(expected, ConfirmationPolicy.Decide(force, whatIf, confirm));
    }

    [Theory]
    [InlineData(RemediationState.Accepted, false)]
    [InlineData(RemediationState.Succeeded, false)]
    [InlineData(RemediationState.Failed, false)]
    [InlineData(RemediationState.Rejected, false)]
    [InlineData(RemediationState.Cancelled, false)]
    [InlineData(RemediationState.AutoResolved, false)]
    [InlineData(RemediationState.Pending, true)]
    [InlineData(RemediationState.Running, true)]
    [InlineData(RemediationState.PendingApproval, true)]
    [InlineData(RemediationState.Unknown, true)]
    public void Wait_polls_only_remediations_that_are_not_terminal(RemediationState state, bool polls)
    {
        Assert.Equal(polls, RemediationChecks.NeedsPolling(Remediation(state)));
    }

    [Theory]
    [InlineData(ReviewAction.Approve, RemediationState.PendingApproval, true)]
    [InlineData(ReviewAction.Approve, RemediationState.Unknown, true)]
    [InlineData(ReviewAction.Approve, RemediationState.Pending, false)]
    [InlineData(ReviewAction.Approve, RemediationState.Succeeded, false)]
    [InlineData(ReviewAction.Deny, RemediationState.PendingApproval, true)]
    [InlineData(ReviewAction.Deny, RemediationState.Running, false)]
    [InlineData(ReviewAction.Cancel, RemediationState.PendingApproval, true)]
    [InlineData(ReviewAction.Cancel, RemediationState.Pending, true)]
    [InlineData(ReviewAction.Cancel, RemediationState.Running, false)]
    [InlineData(ReviewAction.Cancel, RemediationState.Failed, false)]
    public void Review_actions_are_refused_locally_only_for_states_already_past_them(ReviewAction action, RemediationState state, bool allowed)
    {
        var error = RemediationChecks.CheckReview(Remediation(state), action);

        Assert.Equal(allowed, error is null);
        if (error is not null)
        {
            Assert.Equal(ErrorKind.InvalidState, error.Kind);
            Assert.Equal("r-1", error.Target);
            Assert.Contains(state.ToString(), error.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was sent", error.RecommendedAction, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NodeRef_names_the_node_the_way_each_provider_does_and_converts_to_a_planner_target()
    {
        Assert.Equal("VoltagePark node 'g0386' in fleet 'f-1'", new NodeRef(CloudProvider.VoltagePark, "g0386", "f-1").Describe());
        Assert.Equal("SFCompute node 'n_1'", new NodeRef(CloudProvider.SFCompute, "n_1").Describe());
        Assert.Equal("Together:c-1/i-1", new NodeRef(CloudProvider.Together, "i-1", "c-1").ToString());
        Assert.Equal(new RemediationTarget("i-1", null), new NodeRef(CloudProvider.Together, "i-1", string.Empty).ToRemediationTarget());
    }

    [Fact]
    public void Removal_results_carry_the_node_identity_for_the_pipeline()
    {
        var node = new NodeRef(CloudProvider.SFCompute, "n_1", null, new Uri("https://api.sfcompute.com"));

        var deleted = NodeRemovalResult.Deleted(node);
        var released = NodeRemovalResult.Released(node, null);

        Assert.Equal(("n_1", NodeRemovalAction.Deleted), (deleted.Id, deleted.Action));
        Assert.Equal(NodeRemovalAction.Released, released.Action);
        Assert.Equal(node.Endpoint, released.Endpoint);
    }

    private static Remediation Remediation(RemediationState state) => new()
    {
        Provider = CloudProvider.Together,
        Id = "r-1",
        NodeId = "i-1",
        ClusterId = "c-1",
        State = state,
    };
}
