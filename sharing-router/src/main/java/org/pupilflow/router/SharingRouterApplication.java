package org.pupilflow.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Applies the LA sharing policy to every census record and fans out minimised disclosures. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SharingRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(SharingRouterApplication.class, args);
    }
}
