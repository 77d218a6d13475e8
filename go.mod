module github.com/akash-market/akash

go 1.26

require github.com/holiman/uint256 v1.3.2

require gonum.org/v1/gonum v0.17.0
