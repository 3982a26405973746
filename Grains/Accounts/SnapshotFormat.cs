using System.Buffers;
using Orleans.Serialization;
using Orleans.Storage;

namespace Payments.Accounts;

/// <summary>
/// How account snapshots are stored in grain storage: one version byte, then Orleans' binary serialization of the
/// state, which reads and writes fields by their <c>[Id]</c>, so a field added later reads as its default from an older
/// snapshot. Snapshots written before this format (Orleans' default for grain storage: Newtonsoft JSON with
/// <c>$type</c> names) start with <c>{</c> and are still read, by that serializer; the account's next snapshot
/// replaces them.
/// </summary>
/// <remarks>
/// About a ninth of the JSON's size (107 bytes against 969 for an account with one payment), and no reflection over
/// type names on each write and read: activations (a silo start, a failover) read one snapshot per account.
/// </remarks>
public sealed class SnapshotFormat(Serializer serializer, IGrainStorageSerializer earlier) : IGrainStorageSerializer
{
    /// <summary>The first byte of a snapshot in this format.</summary>
    public const byte BinaryV1 = 1;

    public BinaryData Serialize<T>(T? input)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write([BinaryV1]);
        serializer.Serialize(input, buffer);
        return new BinaryData(buffer.WrittenMemory);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        return bytes.Span switch
        {
            [BinaryV1, ..] => serializer.Deserialize<T>(bytes[1..]),
            [(byte)'{', ..] => earlier.Deserialize<T>(input),
            [var first, ..] => throw new InvalidOperationException($"A snapshot in an unknown format (first byte {first})."),
            [] => throw new InvalidOperationException("An empty snapshot."),
        };
    }
}
