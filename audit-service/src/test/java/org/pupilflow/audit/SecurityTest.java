package org.pupilflow.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pupilflow.audit.database.EmbeddedPostgresServer;
import org.pupilflow.audit.support.AuditServiceTest;
import org.pupilflow.audit.support.Http;
import org.pupilflow.audit.support.OwnerDatabase;
import org.pupilflow.security.LocalDevTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** audit:read for the DPO's questions, audit:verify for verification; 401 without a valid token, 403 without the role. */
@AuditServiceTest
class SecurityTest {

    private static final String UPN = "J935123420731";

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private EmbeddedPostgresServer postgres;

    @Test
    void withoutATokenEveryAuditEndpointAnswers401() {
        Http http = new Http(port);

        assertThat(http.get("/audit/subjects/" + UPN, null).statusCode()).isEqualTo(401);
        assertThat(http.get("/audit/disclosures", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/audit/summary", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/audit/verify", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenSignedWithAnotherKeyOrExpiredAnswers401() {
        Http http = new Http(port);
        String forged = LocalDevTokens.mint("someone-elses-signing-key-0123456789abcdef", "mallory", "audit:read", "audit:verify");
        String expired = LocalDevTokens.mint(Http.SECRET, "dpo", java.time.Duration.ofSeconds(-120), null, "audit:read");

        assertThat(http.get("/audit/subjects/" + UPN, forged).statusCode()).isEqualTo(401);
        assertThat(http.get("/audit/verify", forged).statusCode()).isEqualTo(401);
        assertThat(http.get("/audit/subjects/" + UPN, expired).statusCode()).isEqualTo(401);
    }

    @Test
    void aValidTokenWithoutTheRoleAnswers403AndReadsNothing() {
        Http http = new Http(port);
        OwnerDatabase database = new OwnerDatabase(postgres);
        long logged = database.count("SELECT count(*) FROM access_log WHERE upn = ?", UPN);

        assertThat(http.get("/audit/subjects/" + UPN, Http.token("auditor", "audit:verify")).statusCode()).isEqualTo(403);
        assertThat(http.get("/audit/disclosures", Http.token("ops", "census:upload")).statusCode()).isEqualTo(403);
        assertThat(http.get("/audit/verify", Http.token("dpo", "audit:read")).statusCode()).isEqualTo(403);
        assertThat(database.count("SELECT count(*) FROM access_log WHERE upn = ?", UPN)).isEqualTo(logged);
    }

    @Test
    void eachRoleOpensItsOwnEndpoints() {
        Http http = new Http(port);

        assertThat(http.get("/audit/subjects/" + UPN, Http.token("dpo", "audit:read")).statusCode()).isEqualTo(200);
        assertThat(http.get("/audit/summary", Http.token("dpo", "audit:read")).statusCode()).isEqualTo(200);
        assertThat(http.get("/audit/verify", Http.token("auditor", "audit:verify")).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndPrometheusNeedNoToken() {
        Http http = new Http(port);

        assertThat(http.get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health", null).body()).contains("\"status\":\"UP\"");
        assertThat(http.get("/actuator/prometheus", null, "text/plain").statusCode()).isEqualTo(200);
    }
}
