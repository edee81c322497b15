import * as path from 'node:path';
import { describeReadmeExamples } from '../../../scripts/testing/readme-examples';

describeReadmeExamples(path.join(__dirname, '..'));
