namespace Payments.Api.Security;

/// <summary>The two roles of the contract and the policies that require them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Terminal = "terminal";

    public const string AdminPolicy = "admin";
    public const string TerminalPolicy = "terminal";
    public const string AnyRolePolicy = "admin-or-terminal";
}
