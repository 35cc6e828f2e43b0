module github.com/awesome-you/tool

go 1.22
