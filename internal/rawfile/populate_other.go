//go:build !linux

package rawfile

// mapPopulate is Linux's MAP_POPULATE; elsewhere pages fault in as touched.
const mapPopulate = 0
