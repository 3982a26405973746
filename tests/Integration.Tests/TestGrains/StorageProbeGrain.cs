using Orleans.Runtime;

namespace Payments.Integration.Tests.TestGrains;

/// <summary>A grain that keeps a little state in the "accounts" grain storage, for storage tests.</summary>
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Changes the state and writes it through the storage provider.</summary>
    Task SaveAsync(string note, long balance);

    /// <summary>Clears the state through the storage provider.</summary>
    Task ClearAsync();

    /// <summary>Returns the state this activation holds, with its etag and the activation's id.</summary>
    Task<ProbeSnapshot> GetAsync();
}

/// <summary>Persisted state of <see cref="IStorageProbeGrain"/>.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    /// <summary>A free text.</summary>
    [Id(0)]
    public string Note { get; set; } = "";

    /// <summary>A number in minor units.</summary>
    [Id(1)]
    public long Balance { get; set; }

    /// <summary>How many times the state was saved.</summary>
    [Id(2)]
    public int Saves { get; set; }
}

/// <summary>What an activation of <see cref="IStorageProbeGrain"/> holds.</summary>
[GenerateSerializer, Immutable, Alias("payments.tests.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] string Note,
    [property: Id(1)] long Balance,
    [property: Id(2)] int Saves,
    [property: Id(3)] string? ETag,
    [property: Id(4)] bool RecordExists,
    [property: Id(5)] Guid ActivationId);

/// <inheritdoc cref="IStorageProbeGrain"/>
public sealed class StorageProbeGrain(
    [PersistentState("probe", "accounts")] IPersistentState<ProbeState> state) : Grain, IStorageProbeGrain
{
    // Not persisted: tells one activation from the next.
    private readonly Guid _activationId = Guid.NewGuid();

    /// <inheritdoc />
    public async Task SaveAsync(string note, long balance)
    {
        state.State.Note = note;
        state.State.Balance = balance;
        state.State.Saves++;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task ClearAsync() => state.ClearStateAsync();

    /// <inheritdoc />
    public Task<ProbeSnapshot> GetAsync() => Task.FromResult(new ProbeSnapshot(
        state.State.Note, state.State.Balance, state.State.Saves, state.Etag, state.RecordExists, _activationId));
}
