package org.pupilflow.adapters;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Delivers recipient topics by webhook or file drop and reports delivery receipts. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RecipientAdaptersApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecipientAdaptersApplication.class, args);
    }
}
