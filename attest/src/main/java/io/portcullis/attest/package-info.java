/** Portcullis attest module. */
package io.portcullis.attest;
