namespace Payments.Regions;

/// <summary>The region (Orleans ClusterId) this silo belongs to: it names the decider of every payment made here.</summary>
public sealed record SiloRegion(string Name);
