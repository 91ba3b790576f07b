using Panorama.Core.Department;

namespace Panorama.Tests.Unit.Department;

/// <summary>Approving what the head approves, by delegation from the department model.</summary>
public sealed class DelegatedAuthorityTests
{
    static readonly DateOnly Today = new(2026, 11, 26);

    static DepartmentModel Model(string until) => DepartmentDocument.Parse($$"""
        people:
          - {id: head, name: Head, account: head@x.test}
          - {id: pavel, name: Pavel, account: pavel@x.test}
        functions:
          - {id: approvals, name: Approvals, accountable: [head], authority_amount: 100000}
        delegations:
          - {from: head, to: pavel, function: approvals, start: 2026-11-20, until: {{until}}}
        """);

    [Fact]
    public void ActiveDelegationFromTheHead_CoversAmountsUpToTheFunctionsAuthority()
    {
        var model = Model("2026-11-30");
        Assert.True(model.HoldsDelegatedHeadAuthority("pavel@x.test", ["head@x.test"], 50000, Today));
        Assert.True(model.HoldsDelegatedHeadAuthority("PAVEL@x.test", ["head@x.test"], null, Today));
        Assert.False(model.HoldsDelegatedHeadAuthority("pavel@x.test", ["head@x.test"], 150000, Today));
        Assert.False(model.HoldsDelegatedHeadAuthority("pavel@x.test", ["someone-else@x.test"], 50000, Today));
        Assert.False(model.HoldsDelegatedHeadAuthority("stranger@x.test", ["head@x.test"], 50000, Today));
    }

    [Fact]
    public void ExpiredDelegation_NoAuthority() =>
        Assert.False(Model("2026-11-25").HoldsDelegatedHeadAuthority("pavel@x.test", ["head@x.test"], 50000, Today));
}
