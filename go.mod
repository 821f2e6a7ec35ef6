module github.com/portnote/portnote

go 1.26
