namespace Payments.Baseline;

/// <summary>The endpoints of api.md the benchmark drives, with the same paths, keys and status codes.</summary>
public static class BaselineApi
{
    private const string Admin = "admin";
    private const string Terminal = "terminal";

    public static WebApplication MapBaselineApi(this WebApplication app)
    {
        app.MapGet("/health/ready", () => Results.Ok());
        var v1 = app.MapGroup("/v1/accounts");
        v1.MapPost("/", CreateAsync);
        v1.MapGet("/{accountId}", GetAsync);
        v1.MapPost("/{accountId}/payments", PayAsync);
        v1.MapPost("/{accountId}/deposits", DepositAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(CreateAccountBody body, HttpRequest request, ApiKeys keys, AccountLedger ledger)
    {
        if (keys.Refuse(request, Admin) is { } refused)
        {
            return refused;
        }

        if (body is not { AccountId: { Length: > 0 } id, Currency: { Length: 3 } currency, InitialBalance: >= 0 })
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "validation_failed");
        }

        return await ledger.OpenAsync(id, currency, body.InitialBalance.Value, body.Limits ?? new LimitsBody(null, null, null, null))
            ? Results.Created($"/v1/accounts/{id}", await ledger.FindAsync(id))
            : Problems.Create(StatusCodes.Status409Conflict, "account_exists");
    }

    private static async Task<IResult> GetAsync(string accountId, HttpRequest request, ApiKeys keys, AccountLedger ledger) =>
        keys.Refuse(request, Admin, Terminal)
        ?? (await ledger.FindAsync(accountId) is { } account
            ? Results.Ok(account)
            : Problems.Create(StatusCodes.Status404NotFound, "account_not_found"));

    private static async Task<IResult> PayAsync(string accountId, PaymentBody body, HttpRequest request, ApiKeys keys, AccountLedger ledger)
    {
        if (keys.Refuse(request, Terminal) is { } refused)
        {
            return refused;
        }

        if (body is not { Amount: > 0, Currency.Length: 3, Merchant.Length: > 0 and <= 100, Mcc.Length: 4 } || !body.Mcc.All(char.IsAsciiDigit))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "validation_failed");
        }

        var (outcome, payment) = await ledger.PayAsync(accountId, IdempotencyKey(request), body);
        return Answer(outcome, payment, $"/v1/payments/{payment?.PaymentId}?accountId={accountId}");
    }

    private static async Task<IResult> DepositAsync(string accountId, DepositBody body, HttpRequest request, ApiKeys keys, AccountLedger ledger)
    {
        if (keys.Refuse(request, Admin) is { } refused)
        {
            return refused;
        }

        if (body is not { Amount: > 0, Currency.Length: 3, Reference.Length: > 0 and <= 140 })
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "validation_failed");
        }

        var (outcome, deposit) = await ledger.DepositAsync(accountId, IdempotencyKey(request), body);
        return Answer(outcome, deposit, $"/v1/accounts/{accountId}");
    }

    private static IResult Answer<T>(WriteOutcome outcome, T? answer, string location) => outcome switch
    {
        WriteOutcome.Created => Results.Created(location, answer),
        WriteOutcome.Replayed => Replayed(answer),
        WriteOutcome.NotFound => Problems.Create(StatusCodes.Status404NotFound, "account_not_found"),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused"),
    };

    private static IResult Replayed<T>(T answer) => new ReplayedResult<T>(answer);

    private static string IdempotencyKey(HttpRequest request) =>
        request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : Guid.NewGuid().ToString("N");

    /// <summary>200 with the stored answer and <c>Idempotent-Replayed: true</c>.</summary>
    private sealed class ReplayedResult<T>(T answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Ok(answer).ExecuteAsync(httpContext);
        }
    }
}
