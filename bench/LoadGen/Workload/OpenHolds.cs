namespace Payments.LoadGen.Workload;

/// <summary>A pending authorization as the load generator last saw it (minor units).</summary>
/// <param name="Authorized">The amount and the approved increments.</param>
public sealed record OpenHold(string AccountId, string AuthorizationId, long Authorized, long Held, long Captured);

/// <summary>
/// The pending authorizations the mix may follow up (increment, capture, reverse). Taking one removes it, so that only
/// one request acts on an authorization at a time; its answer puts it back while it still holds something. Beyond
/// <paramref name="capacity"/> new ones are left alone: they stay pending until they expire.
/// </summary>
public sealed class OpenHolds(int capacity = 8192)
{
    private readonly List<OpenHold> _holds = [];

    public void Add(OpenHold hold)
    {
        lock (_holds)
        {
            if (_holds.Count < capacity)
            {
                _holds.Add(hold);
            }
        }
    }

    /// <summary>A random pending authorization, removed; null when there is none.</summary>
    public OpenHold? Take(Random random)
    {
        lock (_holds)
        {
            if (_holds.Count == 0)
            {
                return null;
            }

            var index = random.Next(_holds.Count);
            var hold = _holds[index];
            _holds[index] = _holds[^1];
            _holds.RemoveAt(_holds.Count - 1);
            return hold;
        }
    }

    /// <summary>
    /// What an answer leaves of the authorization: a pending authorization joins; a follow-up's authorization comes back
    /// as the answer leaves it, unless it holds nothing any more or the answer was an error (its outcome unknown).
    /// </summary>
    public void Answered(Operation operation, bool recorded, bool error)
    {
        if (error)
        {
            return;
        }

        var hold = operation.Hold;
        var after = operation.Kind switch
        {
            OperationKind.Authorize when recorded =>
                new OpenHold(operation.AccountId, operation.Key, operation.Amount, operation.Amount, 0),
            OperationKind.Increment when recorded => hold! with
            {
                Authorized = hold.Authorized + operation.Amount, Held = hold.Held + operation.Amount,
            },
            OperationKind.Capture when recorded => operation.Final ? null : hold! with
            {
                Held = Math.Max(0, hold.Held - operation.Amount), Captured = hold.Captured + operation.Amount,
            },
            OperationKind.Reverse when recorded => operation.Amount == 0 ? null : hold! with { Held = hold.Held - operation.Amount },
            // Declined or refused: the authorization is as it was.
            OperationKind.Increment or OperationKind.Capture or OperationKind.Reverse => hold,
            _ => null,
        };
        if (after is { Held: > 0 })
        {
            Add(after);
        }
    }
}
