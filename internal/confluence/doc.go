// Package confluence turns a Confluence space export (the XML format:
// entities.xml plus attachments/, zipped or unzipped) into a facet site
// whose builds show each reader the pages Confluence showed them.
//
// It owns four steps: reading entities.xml as a stream of objects
// (entities.go; never the whole file in memory), the model of one space
// (model.go: current pages, their tree, labels, attachments, users, space
// permissions and view restrictions), the conversion of storage-format
// XHTML to markdown (storage*.go), the mapping of Confluence permissions
// onto facet's [access] levels (mapping.go) and the writing of the site and
// its import-report.md (write.go, report.go). Import does them in order and
// publishes the site only when every step succeeded.
//
// It does not build the site, talk to Confluence, or read the HTML export.
//
// The permission mapping: facet's chain stops at the first level that
// matches, so an intersection of restrictions (a restricted page under a
// restricted parent) cannot be left to the chain. Every page whose readers
// differ from those its folder passes down gets a closed level (allow = the
// principals that pass the space permission and every restriction above
// and on it), computed by intersecting principal sets. Where an
// intersection depends on group membership the export does not hold (a
// user named on the child who may or may not be in a group named on the
// parent; two different groups), the principal is left out: the page is
// hidden from those people rather than shown, and the report names it.
package confluence
