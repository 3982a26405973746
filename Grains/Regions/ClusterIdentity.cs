using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Payments.Regions;

/// <summary>
/// Who a process is (section <c>Payments</c>): <see cref="Region"/>, which is also its Orleans ClusterId, and the
/// <see cref="ServiceId"/> shared by every region. No default in code: only the Development profile
/// (<c>appsettings.Development.json</c>) names one, so a Production silo or API without them refuses to start rather
/// than join region-a.
/// </summary>
public sealed class ClusterIdentityOptions
{
    public const string Section = "Payments";
    public const string RegionKey = Section + ":" + nameof(Region);
    public const string ServiceIdKey = Section + ":" + nameof(ServiceId);

    /// <summary>The region this process serves and the ClusterId of its Orleans cluster, e.g. <c>region-a</c>.</summary>
    public string Region { get; set; } = "";

    /// <summary>The Orleans ServiceId, the same in every region (grain storage and reminders are keyed by it).</summary>
    public string ServiceId { get; set; } = "";
}

/// <summary>Binds <see cref="ClusterIdentityOptions"/> and checks it when the host starts.</summary>
public static class ClusterIdentity
{
    /// <summary>What grains need: the region. A missing one stops the host at start with the setting's name.</summary>
    public static IServiceCollection AddRegionIdentity(this IServiceCollection services)
    {
        services.AddOptions<ClusterIdentityOptions>().BindConfiguration(ClusterIdentityOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterIdentityOptions>, RegionRequired>());
        return services;
    }

    /// <summary>What a host (silo or API) needs: the region and the service id.</summary>
    public static IServiceCollection AddClusterIdentity(this IServiceCollection services)
    {
        services.AddRegionIdentity();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterIdentityOptions>, ServiceIdRequired>());
        return services;
    }

    private sealed class RegionRequired : IValidateOptions<ClusterIdentityOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClusterIdentityOptions options) =>
            string.IsNullOrWhiteSpace(options.Region)
                ? ValidateOptionsResult.Fail(
                    $"{ClusterIdentityOptions.RegionKey} is not set: name the region (and Orleans cluster) this process serves, " +
                    "e.g. Payments__Region=region-a. Only the Development environment has a default.")
                : ValidateOptionsResult.Success;
    }

    private sealed class ServiceIdRequired : IValidateOptions<ClusterIdentityOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClusterIdentityOptions options) =>
            string.IsNullOrWhiteSpace(options.ServiceId)
                ? ValidateOptionsResult.Fail(
                    $"{ClusterIdentityOptions.ServiceIdKey} is not set: name the Orleans service every region shares, " +
                    "e.g. Payments__ServiceId=payments. Only the Development environment has a default.")
                : ValidateOptionsResult.Success;
    }
}
