/** Portcullis sbom module. */
package io.portcullis.sbom;
