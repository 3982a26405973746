using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Orleans.Dashboard;
using Payments.Hosting.Security;

namespace Payments.Silo.Dashboard;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c>, for admins only. A browser cannot send a bearer key, so an operator
/// signs in once at <c>/dashboard/login</c> with the admin API key and gets a session cookie for the dashboard's
/// path; tools may still send <c>Authorization: Bearer</c> on every request.
/// </summary>
public static class DashboardAccess
{
    public const string Path = "/dashboard";
    public const string LoginPath = Path + "/login";
    public const string Policy = "dashboard";
    private const string CookieScheme = "DashboardCookie";
    private const string Scheme = "Dashboard";
    private const string KeyField = "key";

    public static IServiceCollection AddDashboardAccess(this IServiceCollection services)
    {
        // Sessions are per silo and end with it: nothing to share or store, so no key ring on disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthentication()
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "payments-dashboard";
                options.Cookie.Path = Path;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = false;
                options.LoginPath = LoginPath;
                options.AccessDeniedPath = LoginPath;
            })
            .AddPolicyScheme(Scheme, Scheme, options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? ApiKeyAuthentication.SchemeName : CookieScheme);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireRole(Roles.Admin));
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapGet(LoginPath, () => LoginPage(null, HttpStatusCode.OK)).ExcludeFromDescription();
        app.MapPost(LoginPath, SignInAsync).ExcludeFromDescription();
        app.MapOrleansDashboard(Path).RequireAuthorization(Policy);
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ApiKeyRing keys)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (keys.Find(form[KeyField].ToString()) is not { Role: Roles.Admin } key)
        {
            return LoginPage("That is not an admin API key.", HttpStatusCode.Unauthorized);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], CookieScheme);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity));
        // Always to the dashboard, never to a caller-supplied return URL: no open redirect.
        return Results.Redirect(Path + "/");
    }

    private static IResult LoginPage(string? error, HttpStatusCode status) => Results.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Payments silo dashboard: sign in</title>
        <style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}input{width:100%;padding:.4rem;margin:.5rem 0}</style></head>
        <body>
        <h1>Payments silo dashboard</h1>
        <form method="post" action="{{LoginPath}}">
        <label for="{{KeyField}}">Admin API key</label>
        <input id="{{KeyField}}" name="{{KeyField}}" type="password" autocomplete="off" autofocus required>
        <button type="submit">Sign in</button>
        </form>
        {{(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        </body>
        </html>
        """,
        "text/html; charset=utf-8",
        statusCode: (int)status);
}
