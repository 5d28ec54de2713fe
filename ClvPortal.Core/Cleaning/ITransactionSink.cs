namespace ClvPortal.Core.Cleaning;

/// <summary>Where cleaning puts the transactions it keeps, one at a time and in file order.</summary>
internal interface ITransactionSink
{
    void Add(in Transaction transaction);
}
