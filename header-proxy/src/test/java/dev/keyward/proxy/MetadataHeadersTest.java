package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataHeadersTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Metadata-Flavor",
                "metadata-flavor",
                "Metadata",
                "X-aws-ec2-metadata-token",
                "X-AWS-EC2-METADATA-TOKEN-TTL-SECONDS",
                "X-Google-Metadata-Request",
                "X-IDENTITY-HEADER",
                "X-aliyun-ecs-metadata-token",
                "X-aliyun-ecs-metadata-token-ttl-seconds"
            })
    void cloudMetadataHeadersInAnyCase(String name) {
        assertTrue(MetadataHeaders.isMetadataHeader(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"User-Agent", "Accept", "X-Api-Key", "X-Metadata", "Metadata-Version", "X-Emby-Token", ""})
    void othersAreNot(String name) {
        assertFalse(MetadataHeaders.isMetadataHeader(name), name);
    }
}
