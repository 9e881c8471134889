package org.pupilflow.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Applies the LA sharing policy to every census record and fans out minimised disclosures. */
@SpringBootApplication
public class SharingRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(SharingRouterApplication.class, args);
    }
}
