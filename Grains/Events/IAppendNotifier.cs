namespace Payments.Events;

/// <summary>
/// Told by the ledger store after each commit that brought rows, so that the feed's readers in every process hear of
/// them (<see cref="ILedgerAppends"/>). Never waits and never fails: the notification itself goes later, elsewhere.
/// </summary>
public interface IAppendNotifier
{
    void Appended();
}
