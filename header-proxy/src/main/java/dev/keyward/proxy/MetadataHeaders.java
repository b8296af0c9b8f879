package dev.keyward.proxy;

import java.util.Locale;
import java.util.Set;

/**
 * Header names that cloud metadata and managed-identity endpoints require as proof that a request
 * is not forged: a proxy that sends one lets its caller through that proof. Refused as a provider's
 * static, pass-through or credential header unless the operator sets {@code allow-metadata-headers}.
 * Oracle's IMDSv2 ({@code Authorization: Bearer Oracle}) and AWS ECS task credentials use
 * {@code Authorization}, which no definition may set anyway; DigitalOcean, Hetzner and OpenStack
 * require no header, so only the address rules keep them out.
 */
final class MetadataHeaders {
    /** Lower case. */
    static final Set<String> NAMES = Set.of(
            "metadata-flavor", // Google Compute Engine, IBM Cloud VPC
            "x-google-metadata-request", // Google, legacy v1beta1
            "metadata", // Azure IMDS, Azure Arc
            "x-identity-header", // Azure App Service and Functions managed identity
            "x-aws-ec2-metadata-token", // AWS IMDSv2
            "x-aws-ec2-metadata-token-ttl-seconds",
            "x-aliyun-ecs-metadata-token", // Alibaba Cloud ECS, security hardening mode
            "x-aliyun-ecs-metadata-token-ttl-seconds");

    private MetadataHeaders() {}

    /** @return whether {@code name} (any case) is a cloud-metadata header */
    static boolean isMetadataHeader(String name) {
        return name != null && NAMES.contains(name.toLowerCase(Locale.ROOT));
    }
}
