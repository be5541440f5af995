/** Portcullis gateway module. */
package io.portcullis.gateway;
