module github.com/awesome-org/tool

go 1.24
