console.log('lrpjs cli');
