//go:build !linux

package gitstatus

// mapPopulate is Linux's MAP_POPULATE; elsewhere pages fault in as touched.
const mapPopulate = 0
