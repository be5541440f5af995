/**
 * Portcullis sbom module: recognises SBOM artifacts ({@code recognize}), parses CycloneDX and SPDX documents,
 * bare or in attestations, into one normalised model ({@code parse}, {@code model}), and flattens them into
 * index rows ({@code index}). See {@code sbom/README.md}.
 */
package io.portcullis.sbom;
