package org.pupilflow.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Validates census returns (CTF XML, CSV) and objections and publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CensusIngestApplication {

    public static void main(String[] args) {
        SpringApplication.run(CensusIngestApplication.class, args);
    }
}
