using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>
/// A seeded generator of hostile requests to every endpoint. Each request that writes is built from a valid one by
/// one to three poisons, each of which alone makes it invalid (a bad field, broken JSON, a bad header, a wrong or
/// missing key, a bad path, a huge body): so the API must refuse every write it generates, and record nothing.
/// Reads and stray routes may also be answered 200; nothing may be answered 5xx.
/// </summary>
public sealed class HostileRequests(int seed, FuzzTargets targets)
{
    private const string Omit = "<omitted>";
    private const int TenMegabytes = 10 * 1024 * 1024;

    private static readonly string[] Amounts =
        ["0", "-1", "-9223372036854775808", "9223372036854775807", "92233720368547758070", "\"100\"", "100.5", "1e2", "true", "null", "{}", "[]", "\"' OR 1=1 --\"", Omit];

    private static readonly string[] Balances = ["-1", "-9223372036854775808", "92233720368547758070", "\"5\"", "2.5", "null", "[]", Omit];

    private static readonly string[] Limits = ["0", "-5", "\"7\"", "1.5", "92233720368547758070", "{}", "true", "-9223372036854775808"];

    private static readonly string[] Currencies =
        ["\"EURO\"", "\"eur\"", "\"\"", "\"XXX\"", "\"E\\u0000R\"", "978", "null", "\"EUR' --\"", "\"\\u20ac\"", Omit];

    private static readonly string[] Mccs =
        ["\"541\"", "\"54111\"", "\"54a1\"", "\"\\u0665\\u0664\\u0661\\u0661\"", "\"5411\\n\"", "5411", "null", "\"' OR '1'='1\"", "\"\"", Omit];

    private static readonly string[] Regions = ["\"\"", "\"region a\"", "null", "\"region-z\"", Quote(new string('r', 70)), "\"region-a\\u0000\"", Omit];

    private static readonly string[] Statuses = ["\"sleeping\"", "\"ACTIVE\"", "1", "\"\"", "\"closed \"", "null", "\"frozen, closed\"", "\"active,frozen\"", "\"2\""];

    private static readonly string[] KeyNames = ["\"\"", "\"bad name\"", Quote(new string('n', 65)), "null", "\"x'--\"", "\"dev-admin\"", Omit];

    private static readonly string[] KeyRoles = ["\"root\"", "\"ADMIN\"", "\"\"", "null", "1", Omit];

    private static readonly string[] UnknownProperties = ["amout", "__proto__", "$type", "constructor", "isAdmin", "approved", "balance", "status_"];

    // No NUL: the in-memory test server throws on it before the API sees the request (Kestrel answers 400 itself).
    private static readonly string[] BadPathIds = ["bad id!", new string('a', 65), "\u0001", "..", "\U0001F600", "' OR 1=1 --", "acc\n", "acc%00"];

    private static readonly string[] BadKeyIds = ["not-hex", "ABCDEF0123456789", "0123456789abcdef0", "' OR 1=1 --", "0123456789abcde\u0430"];

    private static readonly string[] BadIdempotencyKeys = [new string('k', 129), "ключ", "a\u0007b", "caf\u00e9"];

    private static readonly string[] RawBodies = ["null", "[]", "\"s\"", "123", "", "true", "amount=5", "<xml/>", "{\"merchant\":\"\\x\"}"];

    private static readonly string[] ContentTypes = ["text/plain", "application/xml", "multipart/form-data; boundary=x"];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD", "PROPFIND", "FOO"];

    private static readonly string[] HistoryQueries =
        ["", "?limit=5", "?limit=0", "?limit=abc", "?limit=201", "?before=abc", "?before=-1", "?limit=1&limit=2", "?before=99999999999999999999", "?limit=%00", "?before=1%20OR%201=1"];

    private readonly Random _random = new(seed);
    private int _serial;

    /// <summary>Account ids the requests tried to open: none of them may exist afterwards.</summary>
    public List<string> MadeUpAccountIds { get; } = [];

    /// <summary>Key names the requests tried to issue: none of them may exist afterwards.</summary>
    public List<string> MadeUpKeyNames { get; } = [];

    public List<HostileRequest> Take(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    public HostileRequest Next() => _random.Next(100) switch
    {
        < 28 => Payment(),
        < 40 => Deposit(),
        < 52 => OpenAccount(),
        < 62 => ChangeAccount(),
        < 70 => IssueKey(),
        < 75 => RevokeKey(),
        < 88 => Read(),
        _ => StrayRoute(),
    };

    private HostileRequest Payment()
    {
        var draft = new Draft("POST", "/v1/accounts/{id}/payments", Pick(targets.Accounts), Bearer(targets.Keys.Terminal))
        {
            Body = new JsonObject { ["amount"] = _random.Next(1, 5000), ["currency"] = "EUR", ["merchant"] = "Fuzz Shop", ["mcc"] = "5411" },
        };
        if (_random.Next(2) == 0)
        {
            draft.Headers.Add(("Idempotency-Key", $"{targets.Prefix}pay-{_serial++}"));
        }

        return Poison(draft, Fields(("amount", [.. Amounts, "1000001"]), ("currency", Currencies), ("merchant", Texts(100)), ("mcc", Mccs)),
            BadIdempotencyKey, BadPath, WrongKey(targets.Keys.Admin), OtherMerchant);
    }

    private HostileRequest Deposit()
    {
        var draft = new Draft("POST", "/v1/accounts/{id}/deposits", Pick(targets.Accounts), Bearer(targets.Keys.Admin))
        {
            Body = new JsonObject { ["amount"] = _random.Next(1, 5000), ["currency"] = "EUR", ["reference"] = "fuzz" },
        };
        return Poison(draft, Fields(("amount", Amounts), ("currency", [.. Currencies, "\"USD\""]), ("reference", Texts(140))),
            BadIdempotencyKey, BadPath, WrongKey(targets.Keys.Terminal));
    }

    private HostileRequest OpenAccount()
    {
        var accountId = $"{targets.Prefix}acct-{_serial++}";
        MadeUpAccountIds.Add(accountId);
        var draft = new Draft("POST", "/v1/accounts", null, Bearer(targets.Keys.Admin))
        {
            Body = new JsonObject
            {
                ["accountId"] = accountId, ["region"] = "region-a", ["currency"] = "EUR", ["initialBalance"] = 1000,
                ["limits"] = new JsonObject { ["perPayment"] = 500, ["daily"] = 1000 },
            },
        };
        string[] accountIds = ["\"\"", "\"bad id!\"", Quote(new string('a', 65)), "\"acc'; DROP TABLE ledger; --\"", "\"../../etc/passwd\"",
            "\"acc-1\\n\"", "\"\\ud83d\\ude00\"", "null", "42", Omit, Quote(Pick(targets.Accounts))];
        return Poison(draft, Fields(("accountId", accountIds), ("region", Regions), ("currency", [.. Currencies, "\"USD\""]),
            ("initialBalance", Balances), ("limits.perPayment", Limits), ("limits.daily", Limits), ("limits.monthly", Limits)),
            WrongKey(targets.Keys.Terminal));
    }

    private HostileRequest ChangeAccount()
    {
        var draft = new Draft("PATCH", "/v1/accounts/{id}", Pick(targets.Accounts), Bearer(targets.Keys.Admin))
        {
            Body = new JsonObject { ["status"] = "frozen" },
        };
        return Poison(draft, Fields(("status", Statuses), ("limits.daily", Limits), ("limits.weekly", Limits)),
            BadPath, WrongKey(targets.Keys.Terminal));
    }

    private HostileRequest IssueKey()
    {
        var name = $"{targets.Prefix}key-{_serial++}";
        MadeUpKeyNames.Add(name);
        var draft = new Draft("POST", "/v1/api-keys", null, Bearer(targets.Keys.Admin))
        {
            Body = new JsonObject { ["name"] = name, ["role"] = "terminal" },
        };
        return Poison(draft, Fields(("name", KeyNames), ("role", KeyRoles), ("merchant", ["\"\"", "\"Shop\\u0000\"", "12", "{}"])),
            WrongKey(targets.Keys.Terminal), AdminWithMerchant);
    }

    private HostileRequest RevokeKey()
    {
        // A well-formed id names no key (64 random bits), so even a request that got through would change nothing.
        var draft = new Draft("DELETE", "/v1/api-keys/{id}", RandomHex(16), Bearer(targets.Keys.Admin)) { Body = null };
        return Poison(draft, d => d.Apply($"key id {Escape(d.PathId = Pick(BadKeyIds))}"), [WrongKey(targets.Keys.Terminal)], hasBody: false);
    }

    private HostileRequest Read()
    {
        var account = _random.Next(4) == 0 ? Pick(BadPathIds) : Pick(targets.Accounts);
        var (template, query) = _random.Next(4) switch
        {
            0 => ("/v1/accounts/{id}", ""),
            1 => ("/v1/accounts/{id}/payments", Pick(HistoryQueries)),
            2 => ($"/v1/payments/{Uri.EscapeDataString(Pick(["p-1", new string('p', 129), "\u0001", "' OR 1=1 --", "\U0001F600"]))}",
                _random.Next(3) == 0 ? "" : $"?accountId={Uri.EscapeDataString(account)}"),
            _ => ("/v1/api-keys", ""),
        };
        var keys = targets.Keys;
        var draft = new Draft("GET", template, account, Pick([Bearer(keys.Admin), Bearer(keys.Terminal), Bearer(keys.Scoped), .. BadKeys()]))
        {
            Body = null,
            Query = query,
            Writes = false,
        };
        draft.Apply($"read as {Escape(string.Join(",", draft.Authorization))}");
        return draft.Render();
    }

    private HostileRequest StrayRoute()
    {
        var method = Pick(Methods);
        string[] paths = ["/", "/v2/accounts", "/v1//accounts", "/V1/ACCOUNTS", "/%2e%2e/etc/passwd", "/v1/accounts/{id}/payments/x/y",
            "/v1/accounts/{id}/deposits/1", "/v1/api-keys/{id}/x", "/v1/accounts?accountId=' OR 1=1", "/health/live/x", "/v1/accounts/{id}"];
        var keys = targets.Keys;
        var draft = new Draft(method, Pick(paths), Pick(targets.Accounts), Pick([Bearer(keys.Admin), Bearer(keys.Terminal), []]))
        {
            Writes = method is not ("GET" or "HEAD"),
            Body = null,
        };
        if (_random.Next(2) == 0)
        {
            draft.Bytes = RandomBytes(_random.Next(0, 300));
        }

        draft.Apply($"stray route {method}");
        return draft.Render();
    }

    private HostileRequest Poison(Draft draft, Action<Draft> fieldPoison, params Action<Draft>[] specific) =>
        Poison(draft, fieldPoison, specific, hasBody: true);

    private HostileRequest Poison(Draft draft, Action<Draft> fieldPoison, Action<Draft>[] specific, bool hasBody)
    {
        Action<Draft>[] poisons = [fieldPoison, fieldPoison, fieldPoison, .. specific, .. hasBody ? Structural() : [], BadKey];
        for (var count = _random.Next(1, 4); count > 0; count--)
        {
            Pick(poisons)(draft);
        }

        return draft.Render();
    }

    /// <summary>Replaces one field of the body by a value from its list of bad values.</summary>
    private Action<Draft> Fields(params (string Path, string[] Bad)[] fields) => draft =>
    {
        var (path, bad) = Pick(fields);
        var raw = Pick(bad);
        draft.SetRaw(path, raw == Omit ? null : raw, $"serial-{_serial++}");
        draft.Apply($"{path}={(raw == Omit ? "missing" : Escape(raw))}");
    };

    private Action<Draft>[] Structural() =>
    [
        d => d.Apply($"unknown property {d.AddUnknown(Pick(UnknownProperties))}"),
        d => d.Apply("repeated property", text => "{\"dup\":1,\"dup\":1," + text[1..]),
        d =>
        {
            var depth = _random.Next(1, 5000);
            d.SetRaw(Pick(d.BodyFields()), new string('[', depth) + new string(']', depth), $"serial-{_serial++}");
            d.Apply($"nested {depth} deep");
        },
        d =>
        {
            var share = _random.NextDouble() * 0.95;
            d.Apply($"truncated at {share:P0}", text => text[..(int)(text.Length * share)]);
        },
        d =>
        {
            var tail = Pick(["}", "x", ",{}", "]", "{}"]);
            d.Apply($"followed by {tail}", text => text + tail);
        },
        d => d.Apply("comment", text => "{/*c*/" + text[1..]),
        d => d.Apply("trailing comma", text => text[..^1] + ",}"),
        d => d.Apply("single quotes", text => text.Replace('"', '\'')),
        d =>
        {
            var raw = Pick(RawBodies);
            d.Bytes = Encoding.UTF8.GetBytes(raw);
            d.Apply($"body {Escape(raw)}");
        },
        d =>
        {
            d.Bytes = [.. "{\"merchant\":\""u8, 0xC3, 0x28, .. "\"}"u8];
            d.Apply("invalid UTF-8");
        },
        d =>
        {
            d.Bytes = RandomBytes(_random.Next(1, 200));
            d.Apply("random bytes");
        },
        d =>
        {
            d.ContentType = _random.Next(4) == 0 ? null : Pick(ContentTypes);
            d.Apply($"content type {d.ContentType ?? "missing"}");
        },
        d =>
        {
            d.Large = (_random.Next(2) == 0 ? TenMegabytes : 64 * 1024 + _random.Next(1, 8192), _random.Next(2) == 0);
            d.Apply($"body of {d.Large.Value.Size} bytes{(d.Large.Value.Chunked ? ", chunked" : "")}");
        },
    ];

    private void BadIdempotencyKey(Draft draft)
    {
        draft.Headers.RemoveAll(h => h.Name == "Idempotency-Key");
        string[] values = _random.Next(3) == 0 ? ["k1", "k2"] : [Pick(BadIdempotencyKeys)];
        draft.Headers.AddRange(values.Select(v => ("Idempotency-Key", v)));
        draft.Apply($"Idempotency-Key {Escape(string.Join(" + ", values))}");
    }

    private void BadPath(Draft draft)
    {
        draft.PathId = _random.Next(4) == 0 ? $"{targets.Prefix}missing-{_serial++}" : Pick(BadPathIds);
        draft.Apply($"account id {Escape(draft.PathId)}");
    }

    private void BadKey(Draft draft)
    {
        draft.Authorization = Pick(BadKeys());
        draft.Apply($"authorization {Escape(string.Join(" + ", draft.Authorization))}");
    }

    private Action<Draft> WrongKey(string key) => draft =>
    {
        draft.Authorization = Bearer(key);
        draft.Apply("key of the wrong role");
    };

    private void OtherMerchant(Draft draft)
    {
        draft.Authorization = Bearer(targets.Keys.Scoped);
        draft.Apply("key scoped to another merchant");
    }

    private void AdminWithMerchant(Draft draft)
    {
        draft.SetRaw("role", "\"admin\"", $"serial-{_serial++}");
        draft.SetRaw("merchant", "\"Fuzz Shop\"", $"serial-{_serial++}");
        draft.Apply("admin key with a merchant scope");
    }

    private string[][] BadKeys()
    {
        var keys = targets.Keys;
        return
        [
            [], ["Bearer"], ["Bearer "], ["Bearer pk_0000000000000000_nope"], ["Basic ZGV2LWFkbWluLWtleTo="], Bearer(keys.Revoked),
            [$"Bearer {keys.Admin}x"], [$"Token {keys.Admin}"], [$"Bearer {RandomHex(20_000)}"], ["Bearer ' OR 1=1 --"],
            [$"Bearer {keys.Admin}", $"Bearer {keys.Admin}"],
        ];
    }

    private static string[] Texts(int maxLength) =>
    [
        "\"\"", "\"   \"", Quote(new string('m', maxLength + 1)), "\"Shop\\u0000\"", "\"Shop\\u202e\"", "\"\\ud800\"",
        "\"Shop\\u2028\"", "\"\\u200b\"", "\"\\ue000\"", "null", "12", "[\"Shop\"]", Quote(new string('x', 10_000)), Omit,
    ];

    private static string[] Bearer(string key) => [$"Bearer {key}"];

    private static string Quote(string text) => $"\"{text}\"";

    private static string Escape(string text) => text.Length > 40 ? $"{text[..40]}…({text.Length})" : text.Replace("\n", "\\n").Replace("\0", "\\0");

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string RandomHex(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[_random.Next(16)]));

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A request being poisoned.</summary>
    private sealed class Draft(string method, string template, string? pathId, string[] authorization)
    {
        private readonly List<(string Marker, string Raw)> _rawValues = [];
        private readonly List<Func<string, string>> _edits = [];
        private readonly List<string> _poisons = [];

        public string? PathId { get; set; } = pathId;

        public string Query { get; init; } = "";

        public JsonObject? Body { get; init; }

        public byte[]? Bytes { get; set; }

        public (long Size, bool Chunked)? Large { get; set; }

        public string? ContentType { get; set; } = "application/json";

        public string[] Authorization { get; set; } = authorization;

        public List<(string Name, string Value)> Headers { get; } = [];

        public bool Writes { get; init; } = true;

        public void Apply(string poison, Func<string, string>? edit = null)
        {
            _poisons.Add(poison);
            if (edit is not null)
            {
                _edits.Add(edit);
            }
        }

        public List<string> BodyFields() => Body is { Count: > 0 } body ? [.. body.Select(p => p.Key)] : ["amount"];

        public string AddUnknown(string name)
        {
            Body?.Remove(name);
            Body?.Add(name, 1);
            return name;
        }

        /// <summary>Sets a field (path "limits.daily") to raw JSON text, or removes it when <paramref name="raw"/> is null.</summary>
        public void SetRaw(string path, string? raw, string marker)
        {
            if (Body is null)
            {
                return;
            }

            var parts = path.Split('.');
            var node = Body;
            foreach (var part in parts[..^1])
            {
                node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
            }

            node.Remove(parts[^1]);
            if (raw is not null)
            {
                node.Add(parts[^1], marker);
                _rawValues.Add(($"\"{marker}\"", raw));
            }
        }

        public HostileRequest Render()
        {
            var text = Body?.ToJsonString() ?? "";
            text = _rawValues.Aggregate(text, (current, value) => current.Replace(value.Marker, value.Raw, StringComparison.Ordinal));
            text = _edits.Aggregate(text, (current, edit) => current.Length == 0 ? current : edit(current));
            var bytes = Bytes ?? (Body is null ? null : Encoding.UTF8.GetBytes(text));
            var (large, contentType) = (Large, ContentType);
            var path = template.Replace("{id}", Uri.EscapeDataString(PathId ?? ""), StringComparison.Ordinal) + Query;
            return new HostileRequest
            {
                Method = method,
                Path = path,
                Poisons = [.. _poisons],
                MustBeRejected = Writes,
                Authorization = Authorization,
                Headers = [.. Headers],
                Content = () =>
                {
                    HttpContent? content = large is { } l ? new LargeContent(l.Size, l.Chunked) : bytes is null ? null : new ByteArrayContent(bytes);
                    if (content is not null)
                    {
                        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
                    }

                    return content;
                },
            };
        }
    }
}
