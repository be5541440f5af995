/** Portcullis storage module. */
package io.portcullis.storage;
