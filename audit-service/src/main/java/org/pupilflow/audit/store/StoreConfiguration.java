package org.pupilflow.audit.store;

import org.pupilflow.audit.AuditProperties;
import org.pupilflow.audit.chain.CheckpointSigner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The signing key and the two kinds of transaction the service uses. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    CheckpointSigner checkpointSigner(AuditProperties properties) {
        return new CheckpointSigner(properties.checkpointKey());
    }

    /** Read-write, read committed: appends, retention, access logging. */
    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    /** One consistent snapshot of every table, for verification and anchoring while appends go on. */
    @Bean
    SnapshotTransactions snapshotTransactions(PlatformTransactionManager transactionManager) {
        TransactionTemplate template = new TransactionTemplate(transactionManager);
        template.setReadOnly(true);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return new SnapshotTransactions(template);
    }

    /** A read-only, repeatable-read {@link TransactionTemplate}. */
    public record SnapshotTransactions(TransactionTemplate template) {
    }
}
