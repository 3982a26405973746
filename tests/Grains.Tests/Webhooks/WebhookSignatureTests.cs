using System.Security.Cryptography;
using Payments.Webhooks;

namespace Payments.Grains.Tests.Webhooks;

/// <summary>Signing as the Standard Webhooks specification says, checked against the example of its own documentation.</summary>
public sealed class WebhookSignatureTests
{
    [Fact]
    public void The_specifications_example_signs_to_its_documented_signature()
    {
        var key = WebhookSignature.KeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var signature = WebhookSignature.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_new_secret_is_whsec_and_base64_of_at_least_24_random_bytes()
    {
        var (first, second) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());

        Assert.StartsWith("whsec_", first);
        Assert.True(WebhookSignature.KeyOf(first).Length >= 24);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_sealed_secret_opens_only_under_its_key_and_only_untouched()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(32));
        var sealedSecret = box.Seal("whsec_c2VjcmV0");
        var tampered = (byte[])sealedSecret.Clone();
        tampered[^1] ^= 1;

        Assert.Equal("whsec_c2VjcmV0", box.Open(sealedSecret));
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(RandomNumberGenerator.GetBytes(32)).Open(sealedSecret));
        Assert.ThrowsAny<CryptographicException>(() => box.Open(tampered));
    }
}
